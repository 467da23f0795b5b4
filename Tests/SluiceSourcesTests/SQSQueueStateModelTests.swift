import SluiceCore
import Testing

@testable import SluiceSources

/// ``SQS/QueueState`` keeps indexes so that a receive does not scan the queue; these runs check it against the
/// plain definition (a scan of every message in enqueue order) through thousands of random sends, receives,
/// deletes, visibility changes, dead-letter moves (back into the same queue: an id coming back), expiries and
/// clock steps.
@Suite struct SQSQueueStateModelTests {
    @Test(arguments: [(false, 1), (false, 2), (true, 3), (true, 4)])
    func receivesWhatAScanOfEveryMessageWouldReceive(fifo: Bool, seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        var attributes = SQS.QueueAttributes(fifoQueue: fifo)
        attributes.messageRetentionPeriod = 20
        attributes.contentBasedDeduplication = fifo
        let address = SQS.QueueAddress(region: "us-east-1", account: "000000000000", name: fifo ? "q.fifo" : "q")
        var now = Timestamp(millisecondsSinceEpoch: 1_732_528_800_000)
        var state = SQS.QueueState(
            record: SQS.QueueRecord(address: address, attributes: attributes, createdTimestamp: now))
        var handles: [SQS.ReceiptHandle] = []
        var sent = 0
        for _ in 0..<4_000 {
            switch random.next(100) {
            case 0..<35:
                sent += 1
                let draft = SQS.MessageDraft(
                    body: "body \(sent)", attributes: [:],
                    delaySeconds: fifo ? nil : [0, 0, 0, 1, 2][random.next(5)],
                    messageGroupId: fifo ? ["a", "b", "c", "d"][random.next(4)] : nil, messageDeduplicationId: nil,
                    awsTraceHeader: nil, senderId: "test")
                _ = try state.send(draft, messageId: "m\(sent)", now: now)
            case 35..<65:
                let maximum = 1 + random.next(10)
                let maxReceiveCount = random.next(2) == 0 ? nil : 3
                let expiredExpected = Set(
                    state.messages.values.filter {
                        now.millisecondsSinceEpoch - $0.sentTimestamp.millisecondsSinceEpoch >= 20_000
                    }.map(\.messageId))
                #expect(Set(state.expire(now: now).map(\.messageId)) == expiredExpected)
                let expected = Self.scan(state, now: now, maximum: maximum, maxReceiveCount: maxReceiveCount)
                let result = state.receive(
                    maximum: maximum, visibilityTimeout: random.next(3), now: now, maxReceiveCount: maxReceiveCount)
                #expect(result.received.map(\.messageId) == expected.received)
                #expect(result.deadLettered.map(\.messageId) == expected.deadLettered)
                handles += result.received.map {
                    SQS.ReceiptHandle(queueArn: state.arn, messageId: $0.messageId, receiveCount: $0.receiveCount)
                }
                if random.next(2) == 0 {
                    for message in result.deadLettered { _ = state.acceptDeadLetter(message, from: "dlq", now: now) }
                }
            case 65..<80 where !handles.isEmpty:
                let handle = handles.remove(at: random.next(handles.count))
                _ = try? state.delete(handle, raw: handle.encoded, now: now)
            case 80..<88 where !handles.isEmpty:
                let handle = handles[random.next(handles.count)]
                _ = try? state.changeVisibility(handle, raw: handle.encoded, timeout: random.next(3), now: now)
            default:
                now = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(random.next(1_500)))
            }
            let messages = Array(state.messages.values)
            #expect(state.counts(now: now) == Self.counts(messages, now: now))
            #expect(
                state.nextVisibilityChange(after: now)
                    == messages.lazy.map(\.visibleFrom).filter { $0 > now }.min())
            #expect(
                state.hasReceivableMessages(at: now)
                    == !Self.scan(state, now: now, maximum: 1, maxReceiveCount: nil).received.isEmpty)
        }
        #expect(sent > 1_000)
    }

    /// The definition: every message in enqueue order, skipping hidden ones and, on FIFO queues, every later
    /// message of a group with a hidden one.
    static func scan(
        _ state: SQS.QueueState, now: Timestamp, maximum: Int, maxReceiveCount: Int?
    ) -> (received: [String], deadLettered: [String]) {
        var result: (received: [String], deadLettered: [String]) = ([], [])
        var blocked: Set<String> = []
        for message in state.messages.values.sorted(by: { $0.enqueueSequence < $1.enqueueSequence }) {
            let group = state.isFifo ? message.messageGroupId : nil
            if let group, blocked.contains(group) { continue }
            guard message.visibleFrom <= now else {
                if let group { blocked.insert(group) }
                continue
            }
            if let maxReceiveCount, message.receiveCount >= maxReceiveCount {
                result.deadLettered.append(message.messageId)
                continue
            }
            result.received.append(message.messageId)
            if result.received.count == maximum { break }
        }
        return result
    }

    static func counts(_ messages: [SQS.MessageRecord], now: Timestamp) -> (Int, Int, Int) {
        var counts = (0, 0, 0)
        for message in messages {
            if message.receiveCount == 0, message.visibleFrom > now {
                counts.2 += 1
            } else if message.visibleFrom > now {
                counts.1 += 1
            } else {
                counts.0 += 1
            }
        }
        return counts
    }
}

/// A seeded generator, so a failing run can be replayed.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
