import ServiceLifecycle
import SluiceRuntime

/// The function runtime's lifetime: reaps idle execution environments while Sluice runs, and on shutdown drops the
/// queued `Event` invocations and stops every runtime process.
struct FunctionRuntimeService: Service {
    let invocations: FunctionInvocations
    let invoker: FunctionInvoker

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await invoker.reapPeriodically()
        }
        await invocations.shutDown()
    }
}
