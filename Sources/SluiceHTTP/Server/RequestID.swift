import Synchronization

/// `x-amzn-RequestId` values: lowercase UUID v4 as AWS prints them (an invocation's id is its request id,
/// `reference/runtime-api.md` §1.1), unique per process run (a random prefix and a counter), without a system call
/// per request.
enum RequestID {
    /// The id of the request being answered, for bodies that repeat it (query XML's `<RequestId>`).
    @TaskLocal static var current: String?

    /// Random, with the version nibble of a v4 UUID (`xxxxxxxx-xxxx-4xxx`).
    private static let prefix = UInt64.random(in: .min ... .max) & ~0xF000 | 0x4000
    /// The variant bits of the UUID's fourth group (`8`–`b`).
    private static let variant: UInt64 = 0x8000_0000_0000_0000
    private static let counter = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 32)))

    static func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue & ~(3 << 62) | variant
        let hex = hex16(prefix) + hex16(count)
        var text = ""
        text.reserveCapacity(36)
        for (index, character) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            text.append(character)
        }
        return text
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
