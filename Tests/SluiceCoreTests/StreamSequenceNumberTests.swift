import SluiceCore
import Testing

/// Sequence numbers order as the numbers they spell, not as strings.
@Suite struct StreamSequenceNumberTests {
    @Test func longerNumbersAreLater() {
        #expect(StreamSequenceNumber("9") < StreamSequenceNumber("10"))
        #expect(!(StreamSequenceNumber("10") < StreamSequenceNumber("9")))
    }

    @Test func equalLengthsCompareDigitByDigit() {
        #expect(StreamSequenceNumber("49590338271490256608559692538361571095921575989136588898")
            < StreamSequenceNumber("49590338271490256608559692538361571095921575989136588899"))
    }

    @Test func leadingZerosDoNotCount() {
        #expect(StreamSequenceNumber("007") < StreamSequenceNumber("10"))
        #expect(!(StreamSequenceNumber("010") < StreamSequenceNumber("10")))
    }

    @Test func equalityAndHashingAgreeWithTheOrder() {
        #expect(StreamSequenceNumber("010") == StreamSequenceNumber("10"))
        #expect(Set([StreamSequenceNumber("010"), StreamSequenceNumber("10")]).count == 1)
    }
}
