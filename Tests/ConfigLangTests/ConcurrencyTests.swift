import Dispatch
import Synchronization
import Testing

@testable import ConfigLang

@Suite struct BatchChannelTests {
    /// A buffer with an identity, to count how many the producer made.
    final class Buffer: Sendable {
        let serial: Int
        let contents = Mutex<[Int]>([])
        init(serial: Int) { self.serial = serial }
    }

    @Test("a recycling producer makes at most its limit of buffers and the consumer sees every batch in order")
    func recyclingStaysWithinTheLimit() {
        let channel = BatchChannel<Buffer>(recycleLimit: 3)
        let made = Mutex(0)
        DispatchQueue.global().async {
            for value in 0..<200 {
                let buffer = channel.recycled {
                    made.withLock { count in
                        count += 1
                        return Buffer(serial: count)
                    }
                }
                buffer.contents.withLock { $0 = [value] }
                channel.send([buffer])
            }
            channel.finish()
        }
        var received: [Int] = []
        while let batches = channel.receive() {
            for buffer in batches {
                received += buffer.contents.withLock { $0 }
                channel.giveBack(buffer)
            }
        }
        #expect(received == Array(0..<200))
        #expect(made.withLock { $0 } <= 3)
    }
}

@Suite struct SideTaskTests {
    @Test("both results come back, whether the side work runs on another thread or inline", arguments: [true, false])
    func bothResults(worthIt: Bool) {
        var mainRan = false
        let (side, main) = SideTask.run(
            worthIt: worthIt, { (0..<1000).reduce(0, +) },
            while: {
                mainRan = true
                return "main"
            })
        #expect(side == 499_500 && main == "main" && mainRan)
    }
}
