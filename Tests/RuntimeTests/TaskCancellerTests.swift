import Testing

@testable import Runtime

/// Cancelling a task from outside through its ``TaskCanceller``.
struct TaskCancellerTests {
    @Test("cancel() cancels the task that made the canceller; after disarm() it does nothing")
    func cancelsUntilDisarmed() async {
        let cancelled = await Task { () -> Bool in
            let canceller = TaskCanceller()
            defer { canceller.disarm() }
            canceller.cancel()
            return Task.isCancelled
        }.value
        #expect(cancelled)
        let disarmed = await Task { () -> Bool in
            let canceller = TaskCanceller()
            canceller.disarm()
            canceller.cancel()
            return Task.isCancelled
        }.value
        #expect(!disarmed)
    }

    @Test("a cancellation from another task reaches the waiting task's cancellation handler")
    func cancelsFromOutside() async {
        let (ready, readyContinuation) = AsyncStream<TaskCanceller>.makeStream()
        let waiter = Task { () -> Bool in
            let canceller = TaskCanceller()
            defer { canceller.disarm() }
            readyContinuation.yield(canceller)
            let (never, _) = AsyncStream<Int>.makeStream()
            for await _ in never {}  // ends when the task is cancelled
            return Task.isCancelled
        }
        for await canceller in ready {
            canceller.cancel()
            break
        }
        #expect(await waiter.value)
    }
}
