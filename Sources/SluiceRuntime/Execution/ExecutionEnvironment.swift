import Foundation
import SluiceCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One execution environment: a runtime process, its own Runtime API listener and its captured output
/// (`reference/runtime-api.md` §1, §2). It takes one invocation at a time; after an init error, a timeout or an
/// exit it is finished and a new one must be launched (§2.4).
public final class ExecutionEnvironment: Sendable {
    /// The runtime process's id.
    public let processID: Int32
    public let handOff: InvocationHandOff
    public let output: OutputCapture
    let listener: RuntimeAPIListener
    /// The function's log, written by whole lines from this environment's output and the invoker's lines.
    public let log: FunctionLogStream
    private let exited: ExitSignal
    private let marks: EnvironmentMarks

    private init(
        processID: Int32, handOff: InvocationHandOff, output: OutputCapture, listener: RuntimeAPIListener,
        exited: ExitSignal, marks: EnvironmentMarks, log: FunctionLogStream
    ) {
        self.processID = processID
        self.handOff = handOff
        self.output = output
        self.listener = listener
        self.exited = exited
        self.marks = marks
        self.log = log
    }

    /// How to start the runtime process.
    public struct Launch: Sendable {
        public var executable: URL
        public var arguments: [String]
        public var taskRoot: URL
        public var runtimeDirectory: URL
        public var interpreterDirectory: String?

        public init(
            executable: URL, arguments: [String], taskRoot: URL, runtimeDirectory: URL,
            interpreterDirectory: String? = nil
        ) {
            self.executable = executable
            self.arguments = arguments
            self.taskRoot = taskRoot
            self.runtimeDirectory = runtimeDirectory
            self.interpreterDirectory = interpreterDirectory
        }
    }

    /// Starts the listener, then the process with the environment of §5, working directory = the task root (§2.1).
    public static func launch(
        _ launch: Launch, function: FunctionConfiguration, endpointURL: String?, log: FunctionLogStream
    ) async throws -> ExecutionEnvironment {
        let marks = EnvironmentMarks()
        let handOff = InvocationHandOff(
            onTerminate: {
                let id = marks.processID
                guard id > 0 else { return }
                marks.recordPeakMemory(ProcessMemory.peakMegabytes(processID: id))
                killProcessGroup(id)
            },
            onHandOut: { invocation in
                // Output written during init goes to the log before START (§2.5).
                marks.output?.drain()
                marks.recordHandOut(of: invocation.requestID)
                log.start(requestId: invocation.requestID, version: function.version)
            }
        )
        let listener = try await RuntimeAPIListener.start(handOff: handOff)
        let process = Process()
        process.executableURL = launch.executable
        process.arguments = launch.arguments
        process.currentDirectoryURL = launch.taskRoot
        process.environment = FunctionProcessEnvironment.variables(
            function: function, runtimeAPI: listener.address, taskRoot: launch.taskRoot.path,
            runtimeDirectory: launch.runtimeDirectory.path, interpreterDirectory: launch.interpreterDirectory,
            endpointURL: endpointURL
        )
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { process in
            let exit: ProcessExit =
                process.terminationReason == .uncaughtSignal
                ? .signal(process.terminationStatus) : .status(process.terminationStatus)
            handOff.processExited(exit)
            exited.signal(exit)
        }
        do {
            try process.run()
        } catch {
            handOff.shutDown()
            await listener.stop()
            throw error
        }
        let reader = dup(pipe.fileHandleForReading.fileDescriptor)
        try? pipe.fileHandleForReading.close()
        try? pipe.fileHandleForWriting.close()
        let output = OutputCapture(descriptor: reader, sink: { log.append($0) })
        marks.started(processID: process.processIdentifier, output: output)
        return ExecutionEnvironment(
            processID: process.processIdentifier, handOff: handOff, output: output, listener: listener, exited: exited,
            marks: marks, log: log
        )
    }

    /// When the runtime received invocation `requestID` and where the output stood then; `nil` if it never did.
    public func handOut(of requestID: String) -> (at: ContinuousClock.Instant, outputPosition: Int)? {
        marks.handOut(of: requestID)
    }

    /// The process's peak memory in MB: now, or when it was killed if it no longer runs.
    public var peakMemoryMegabytes: Int {
        let now = ProcessMemory.peakMegabytes(processID: processID)
        return now > 0 ? now : marks.peakMemoryAtTermination
    }

    /// How the process ended, once it has.
    public var exit: ProcessExit? { exited.exit }

    /// Whether the environment can take another invocation.
    public var isUsable: Bool { !handOff.isClosed }

    /// Runs one invocation; `nil` when the environment is finished and cannot take it.
    public func invoke(_ invocation: RuntimeInvocation) async -> InvocationOutcome? {
        await handOff.invoke(invocation)
    }

    /// Ends the environment: releases a parked `next`, kills the process, waits for it and stops the listener.
    public func stop() async {
        handOff.shutDown()
        killProcessGroup(processID)
        await exited.wait()
        await listener.stop()
        output.drain()
        log.flush()
    }
}

/// Kills the runtime process and whatever it started: Foundation's `Process` makes the child a process-group
/// leader, so the group's id is the child's pid.
func killProcessGroup(_ pid: Int32) {
    if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
}

/// What the hand-off and termination callbacks learn about the environment, shared with it.
final class EnvironmentMarks: Sendable {
    struct State {
        var processID: Int32 = 0
        var output: OutputCapture?
        var handOut: (requestID: String, at: ContinuousClock.Instant, outputPosition: Int)?
        var peakMemory = 0
    }

    private let state = Mutex(State())

    var processID: Int32 { state.withLock { $0.processID } }
    var output: OutputCapture? { state.withLock { $0.output } }
    var peakMemoryAtTermination: Int { state.withLock { $0.peakMemory } }

    func started(processID: Int32, output: OutputCapture) {
        state.withLock { state in
            state.processID = processID
            state.output = output
        }
    }

    func recordHandOut(of requestID: String) {
        let position = output?.position ?? 0
        state.withLock { $0.handOut = (requestID, .now, position) }
    }

    func handOut(of requestID: String) -> (at: ContinuousClock.Instant, outputPosition: Int)? {
        state.withLock { state in
            guard let handOut = state.handOut, handOut.requestID == requestID else { return nil }
            return (handOut.at, handOut.outputPosition)
        }
    }

    func recordPeakMemory(_ megabytes: Int) {
        state.withLock { $0.peakMemory = megabytes }
    }
}

/// Fires once when the process has exited, keeping how; any number of waiters.
final class ExitSignal: Sendable {
    private let state = Mutex<(done: Bool, exit: ProcessExit?, waiters: [CheckedContinuation<Void, Never>])>(
        (false, nil, [])
    )

    var exit: ProcessExit? { state.withLock { $0.exit } }

    func signal(_ exit: ProcessExit) {
        let waiters = state.withLock { state in
            state.done = true
            state.exit = exit
            return state.waiters.take()
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if !state.done { state.waiters.append(waiter) }
                return state.done
            }
            if done { waiter.resume() }
        }
    }
}

extension Array {
    fileprivate mutating func take() -> [Element] {
        defer { self = [] }
        return self
    }
}
