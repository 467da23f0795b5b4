import Testing

@testable import SluiceRuntime

/// The `next` ↔ invoke hand-off, one event per line (`reference/runtime-api.md` §1, §2).
@Suite struct InvocationStateMachineTests {
    typealias Machine = InvocationStateMachine
    static let a = RuntimeInvocation(
        requestID: "a", payload: Array("{}".utf8), invokedFunctionArn: "arn", traceID: "t", timeoutMilliseconds: 1000
    )
    static let b = RuntimeInvocation(
        requestID: "b", payload: [], invokedFunctionArn: "arn", traceID: "t", timeoutMilliseconds: 1000
    )
    let a = Self.a
    let b = Self.b
    let no = false

    @Test func nextBeforeInvokeParksThenInvokeHandsOut() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.responded(requestID: "a", payload: [1]) == .complete(.response([1]), reply: .accepted))
        #expect(machine.nextRequested() == .park)
    }

    @Test func anExitBeforeAWarmRuntimeTakesTheInvocationLeavesItUntaken() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.responded(requestID: "a", payload: []) == .complete(.response([]), reply: .accepted))
        #expect(machine.invoke(b) == .queue)
        #expect(machine.processExited(.status(129)) == .terminate(.notTaken, reply: nil, releaseParkedNext: false))
    }

    @Test func initDeadlineTimesOutTheQueuedInvocation() {
        var machine = Machine()
        #expect(machine.initDeadlinePassed() == .none)
        #expect(machine.invoke(a) == .queue)
        #expect(machine.initDeadlinePassed() == .terminate(.timedOut, reply: nil, releaseParkedNext: false))
        #expect(machine.nextRequested() == .reply(.invalidStateTransition))
    }

    @Test func initDeadlineIsIgnoredOnceTheRuntimeIsReady() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.nextRequested() == .handOut(a))
        #expect(machine.initDeadlinePassed() == .none)
    }

    @Test func invokeBeforeFirstNextQueuesDuringInit() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.invoke(b) == .refuse)
        #expect(machine.nextRequested() == .handOut(a))
        #expect(machine.failed(requestID: "a", body: [2]) == .complete(.error([2]), reply: .accepted))
        #expect(machine.invoke(b) == .queue)
        #expect(machine.nextRequested() == .handOut(b))
    }

    @Test func wrongOrderAndUnknownIDs() {
        var machine = Machine()
        #expect(machine.responded(requestID: "a", payload: []) == .reply(.invalidStateTransition))
        #expect(machine.nextRequested() == .park)
        #expect(machine.nextRequested() == .reply(.invalidStateTransition))
        #expect(machine.responded(requestID: "x", payload: []) == .reply(.invalidRequestID))
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.nextRequested() == .reply(.invalidStateTransition))
        #expect(machine.responded(requestID: "x", payload: []) == .reply(.invalidRequestID))
        #expect(machine.responded(requestID: "a", payload: []) == .complete(.response([]), reply: .accepted))
        #expect(machine.responded(requestID: "a", payload: []) == .reply(.invalidRequestID))
        #expect(machine.initFailed(body: []) == .reply(.invalidStateTransition))
    }

    @Test func oversizeResponseCompletesWithTooLarge() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.nextRequested() == .handOut(a))
        #expect(machine.respondedTooLarge(requestID: "a") == .complete(.responseTooLarge, reply: .payloadTooLarge))
    }

    @Test func initErrorEndsTheEnvironment() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.initFailed(body: [3]) == .terminate(.initError([3]), reply: .accepted, releaseParkedNext: no))
        #expect(machine.processExited(.status(1)) == .none)
        #expect(machine.invoke(b) == .refuse)
    }

    @Test func timeoutKillsOnlyTheRunningInvocation() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.nextRequested() == .handOut(a))
        #expect(machine.deadlinePassed(requestID: "b") == .none)
        #expect(machine.deadlinePassed(requestID: "a") == .terminate(.timedOut, reply: nil, releaseParkedNext: false))
        #expect(machine.processExited(.signal(9)) == .none)
        #expect(machine.responded(requestID: "a", payload: []) == .reply(.invalidStateTransition))
    }

    @Test func lateDeadlineAfterResponseIsIgnored() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.responded(requestID: "a", payload: []) == .complete(.response([]), reply: .accepted))
        #expect(machine.deadlinePassed(requestID: "a") == .none)
    }

    @Test func exitMidInvokeEndsItWithExit() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.processExited(.status(3)) == .terminate(.exited(.status(3)), reply: nil, releaseParkedNext: no))
    }

    @Test func exitDuringInitWithQueuedInvocation() {
        var machine = Machine()
        #expect(machine.invoke(a) == .queue)
        #expect(machine.processExited(.status(1)) == .terminate(.exited(.status(1)), reply: nil, releaseParkedNext: no))
    }

    @Test func exitWhileIdleReleasesTheParkedNext() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.processExited(.status(0)) == .terminate(nil, reply: nil, releaseParkedNext: true))
        #expect(machine.nextRequested() == .reply(.invalidStateTransition))
    }

    @Test func shutDownEndsAQueuedInvocation() {
        var machine = Machine()
        #expect(machine.nextRequested() == .park)
        #expect(machine.invoke(a) == .handOut(a))
        #expect(machine.responded(requestID: "a", payload: []) == .complete(.response([]), reply: .accepted))
        #expect(machine.invoke(b) == .queue)
        #expect(machine.shutDown() == .terminate(.shutDown, reply: nil, releaseParkedNext: false))
        #expect(machine.shutDown() == .none)
    }
}
