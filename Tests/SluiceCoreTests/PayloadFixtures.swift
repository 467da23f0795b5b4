import Foundation
import Testing

@testable import SluiceCore

/// Helpers of the payload suites (`KinesisEventEncoderTests`, `TumblingWindowTests`, `StreamFailureRecordTests`).
enum PayloadFixtures {
    /// A random record: odd partition keys, data of 0–2,000 bytes, sequence numbers of 1–60 digits, any millisecond.
    static func randomRecord(using generator: inout SeededGenerator) -> StreamRecord {
        let alphabet: [Character] = [
            "a", "Z", "0", "\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "é", "日", "🦀", " ", "\u{7F}",
        ]
        let partitionKey = String(
            (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            })
        let digits = (0..<Int.random(in: 1...60, using: &generator)).map { _ in
            String(Int.random(in: 0...9, using: &generator))
        }
        let data = (0..<Int.random(in: 0...2_000, using: &generator)).map { _ in
            UInt8.random(in: 0...255, using: &generator)
        }
        let arrival = Int64.random(in: 0...4_102_444_800_000, using: &generator)
        return StreamRecord(
            sequenceNumber: StreamSequenceNumber(digits.joined()), partitionKey: partitionKey, data: data,
            arrival: Timestamp(millisecondsSinceEpoch: arrival)
        )
    }

    /// SplitMix64: reproducible random batches.
    struct SeededGenerator: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `text` without the whitespace between tokens: the compact form of a pretty-printed reference example.
    static func compactJSON(_ text: String) -> String {
        var result = ""
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                result.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
                result.append(character)
            } else if !character.isWhitespace {
                result.append(character)
            }
        }
        return result
    }

    /// The JSON object `bytes` holds, as Foundation reads it (an independent check of validity and escaping).
    static func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        return try #require(object as? [String: Any])
    }
}
