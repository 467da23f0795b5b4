import Synchronization

/// The `next` ↔ invoke hand-off of one environment: an ``InvocationStateMachine`` in a `Mutex`, with the waiting
/// continuations beside it; every continuation is resumed outside the lock (STYLE "Concurrency",
/// `reference/runtime-api.md` §1, §2).
public final class InvocationHandOff: Sendable {
    typealias NextWaiter = CheckedContinuation<RuntimeInvocation?, Never>
    typealias InvokeWaiter = CheckedContinuation<InvocationOutcome?, Never>

    struct Locked {
        var machine = InvocationStateMachine()
        var parkedNext: NextWaiter?
        var invoker: InvokeWaiter?
        var deadline: Task<Void, Never>?
    }

    /// What to do once the lock is released.
    struct Effects {
        var next: (waiter: NextWaiter, invocation: RuntimeInvocation?)?
        var invoker: (waiter: InvokeWaiter, outcome: InvocationOutcome?)?
        var handedOut: RuntimeInvocation?
        var reply: RuntimeReply?
        var cancelDeadline: Task<Void, Never>?
        var terminate = false
    }

    private let locked = Mutex(Locked())
    private let onTerminate: @Sendable () -> Void
    private let onHandOut: @Sendable (RuntimeInvocation) -> Void

    /// - Parameters:
    ///   - onTerminate: called (outside the lock) when the environment must end: stop the process.
    ///   - onHandOut: called (outside the lock) when the runtime receives an invocation, before its `next` is
    ///     answered: the log's `START` line goes here.
    public init(
        onTerminate: @escaping @Sendable () -> Void = {},
        onHandOut: @escaping @Sendable (RuntimeInvocation) -> Void = { _ in }
    ) {
        self.onTerminate = onTerminate
        self.onHandOut = onHandOut
    }

    public var isClosed: Bool { locked.withLock { $0.machine.isClosed } }

    /// `GET /runtime/invocation/next`: the invocation, or `nil` when the request is refused or the environment ends.
    public func next() async -> RuntimeInvocation? {
        await withCheckedContinuation { (waiter: NextWaiter) in
            let effects = locked.withLock { locked -> Effects in
                let action = locked.machine.nextRequested()
                if case .park = action {
                    locked.parkedNext = waiter
                    return Effects()
                }
                var effects = translate(action, in: &locked)
                effects.next = (waiter, effects.handedOut)
                return effects
            }
            perform(effects)
        }
    }

    /// Hands the invocation to the runtime and waits until it ends; `nil` when this environment cannot take it.
    public func invoke(_ invocation: RuntimeInvocation) async -> InvocationOutcome? {
        await withCheckedContinuation { (waiter: InvokeWaiter) in
            let effects = locked.withLock { locked -> Effects in
                let action = locked.machine.invoke(invocation)
                if case .refuse = action {
                    var effects = Effects()
                    effects.invoker = (waiter, nil)
                    return effects
                }
                locked.invoker = waiter
                var effects = translate(action, in: &locked)
                if let handedOut = effects.handedOut, let parked = locked.parkedNext {
                    locked.parkedNext = nil
                    effects.next = (parked, handedOut)
                }
                return effects
            }
            perform(effects)
        }
    }

    /// `POST /runtime/invocation/{id}/response`.
    public func responded(requestID: String, payload: [UInt8]) -> RuntimeReply {
        apply { $0.responded(requestID: requestID, payload: payload) }
    }

    /// `POST /runtime/invocation/{id}/response` over the 6 MB limit.
    public func respondedTooLarge(requestID: String) -> RuntimeReply {
        apply { $0.respondedTooLarge(requestID: requestID) }
    }

    /// `POST /runtime/invocation/{id}/error`.
    public func failed(requestID: String, body: [UInt8]) -> RuntimeReply {
        apply { $0.failed(requestID: requestID, body: body) }
    }

    /// `POST /runtime/init/error`.
    public func initFailed(body: [UInt8]) -> RuntimeReply {
        apply { $0.initFailed(body: body) }
    }

    public func deadlinePassed(requestID: String) {
        _ = apply { $0.deadlinePassed(requestID: requestID) }
    }

    public func initDeadlinePassed() {
        _ = apply { $0.initDeadlinePassed() }
    }

    public func processExited(_ exit: ProcessExit) {
        _ = apply { $0.processExited(exit) }
    }

    public func shutDown() {
        _ = apply { $0.shutDown() }
    }

    private func apply(_ event: (inout InvocationStateMachine) -> InvocationStateMachine.Action) -> RuntimeReply {
        let effects = locked.withLock { locked in translate(event(&locked.machine), in: &locked) }
        perform(effects)
        return effects.reply ?? .accepted
    }

    /// Translates an action into effects; a hand-out starts the deadline clock (§2.2), an end stops it.
    private func translate(_ action: InvocationStateMachine.Action, in locked: inout Locked) -> Effects {
        var effects = Effects()
        switch action {
        case .park, .queue, .none, .refuse:
            break
        case .handOut(let invocation):
            effects.handedOut = invocation
            locked.deadline = Task { [weak self] in
                guard (try? await Task.sleep(for: .milliseconds(invocation.timeoutMilliseconds))) != nil else { return }
                self?.deadlinePassed(requestID: invocation.requestID)
            }
        case .reply(let reply):
            effects.reply = reply
        case .complete(let outcome, let reply):
            effects.reply = reply
            effects.cancelDeadline = locked.deadline.take()
            if let invoker = locked.invoker.take() { effects.invoker = (invoker, outcome) }
        case .terminate(let outcome, let reply, let releaseParkedNext):
            effects.reply = reply
            effects.terminate = true
            effects.cancelDeadline = locked.deadline.take()
            if let outcome, let invoker = locked.invoker.take() { effects.invoker = (invoker, outcome) }
            if releaseParkedNext, let parked = locked.parkedNext.take() { effects.next = (parked, nil) }
        }
        return effects
    }

    private func perform(_ effects: Effects) {
        effects.cancelDeadline?.cancel()
        if let handedOut = effects.handedOut { onHandOut(handedOut) }
        if let (waiter, invocation) = effects.next { waiter.resume(returning: invocation) }
        if let (waiter, outcome) = effects.invoker { waiter.resume(returning: outcome) }
        if effects.terminate { onTerminate() }
    }
}
