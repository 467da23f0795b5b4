import SluiceCore
import Testing

/// Tumbling windows of `reference/semantics.md` §5 and `reference/events.md` §5, with 120 s windows as in the docs'
/// example (2020-12-09T07:04:00Z to 07:06:00Z). `t0` is 07:04:00; `at(s)` is `s` seconds after it.
@Suite struct TumblingWindowTests {
    typealias Invocation = TumblingWindow.Invocation

    static let first = TumblingWindow.Interval(start: at(0), end: at(120))
    static let second = TumblingWindow.Interval(start: at(120), end: at(240))

    @Test func windowsAlignToMultiplesOfTheirLengthSinceTheEpoch() {
        let arrival = Timestamp(secondsSinceEpoch: 1_607_497_475)
        let docsExample = TumblingWindow.Interval(containing: arrival, lengthInMilliseconds: 120_000)
        #expect(docsExample == Self.first)
        #expect(docsExample.start.lambdaISO8601 == "2020-12-09T07:04:00.000+0000")
        #expect(docsExample.end.lambdaISO8601 == "2020-12-09T07:06:00.000+0000")
        #expect(TumblingWindow.Interval(containing: at(120), lengthInMilliseconds: 120_000) == Self.second)
        #expect(TumblingWindow.Interval(containing: at(119.999), lengthInMilliseconds: 120_000) == Self.first)
        let beforeEpoch = TumblingWindow.Interval(containing: ms(-1), lengthInMilliseconds: 1000)
        #expect(beforeEpoch.start == ms(-1000) && beforeEpoch.end == ms(0))
        #expect(TumblingWindow(length: .seconds(900)).lengthInMilliseconds == 900_000)
    }

    @Test func firstInvocationOfAWindowGetsAnEmptyState() {
        var window = TumblingWindow(length: .seconds(120))
        #expect(window.next([r(1, 5)], now: 6) == .invoke(invoke([r(1, 5)], [:])))
    }

    @Test func stateIsCarriedBetweenInvocationsOfOneWindow() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 5)], [:])
        #expect(window.next([r(1, 5)], now: 6) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["a": 1]) == .proceed)
        #expect(window.openState == ["a": 1])
        #expect(window.next([r(2, 50)], now: 51) == .invoke(invoke([r(2, 50)], ["a": 1])))
    }

    @Test func aBatchNeverMixesWindows() {
        var window = TumblingWindow(length: .seconds(120))
        let pending = [r(1, 100), r(2, 119), r(3, 120), r(4, 121)]
        #expect(window.next(pending, now: 122) == .invoke(invoke([r(1, 100), r(2, 119)], [:])))
    }

    @Test func batchSizeStillCutsTheBatchInsideAWindow() {
        var window = TumblingWindow(length: .seconds(120))
        let pending = [r(1, 1), r(2, 2), r(3, 3)]
        #expect(window.next(pending, max: 2, now: 4) == .invoke(invoke([r(1, 1), r(2, 2)], [:])))
    }

    @Test func aRecordOfTheNextWindowBringsTheFinalInvokeWithTheFinalState() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        let final = invoke([], ["n": 1], final: true)
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
        #expect(window.next([r(2, 130)], now: 131) == .invoke(final))
        #expect(window.invocationSucceeded(final, state: ["n": 1]) == .checkpoint(through: seq(1)))
        #expect(window.next([r(2, 130)], now: 131) == .invoke(invoke([r(2, 130)], [:], in: Self.second)))
    }

    @Test func anIdleShardClosesTheWindowOnceReadAtItsEnd() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
        #expect(window.next([], now: 60) == .waitForRecords(closingAt: at(120)))
        #expect(window.next([], now: 120) == .invoke(invoke([], ["n": 1], final: true)))
        let final = invoke([], ["n": 1], final: true)
        #expect(window.invocationSucceeded(final, state: [:]) == .checkpoint(through: seq(1)))
        #expect(window.openWindow == nil)
        #expect(window.next([], now: 500) == .waitForRecords(closingAt: nil))
    }

    @Test func theFinalInvokeIsRepeatedUntilItSucceeds() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        let final = invoke([], ["n": 1], final: true)
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
        #expect(window.next([r(2, 130)], now: 131) == .invoke(final))
        #expect(window.invocation(of: []) == final)
        #expect(window.next([r(2, 130)], now: 140) == .invoke(final))
        #expect(window.invocationSucceeded(final, state: ["n": 1]) == .checkpoint(through: seq(1)))
    }

    @Test func stateOverOneMegabyteTerminatesTheWindowEarly() {
        var window = TumblingWindow(length: .seconds(120))
        let big: JSONObject = ["blob": .string(String(repeating: "x", count: TumblingWindow.maximumStateBytes))]
        let one = invoke([r(1, 10)], [:])
        let final = invoke([], big, final: true, terminatedEarly: true)
        #expect(window.next([r(1, 10), r(2, 20)], max: 1, now: 21) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: big) == .proceed)
        #expect(window.next([r(2, 20)], max: 1, now: 21) == .invoke(final))
        #expect(window.invocationSucceeded(final, state: [:]) == .checkpoint(through: seq(1)))
        #expect(window.next([r(2, 20)], max: 1, now: 21) == .invoke(invoke([r(2, 20)], [:])))
    }

    @Test func stateOfExactlyOneMegabyteIsKept() {
        var window = TumblingWindow(length: .seconds(120))
        let limit: JSONObject = ["s": .string(String(repeating: "x", count: TumblingWindow.maximumStateBytes - 8))]
        let one = invoke([r(1, 10)], [:])
        #expect(JSONValue.object(limit).jsonText.utf8.count == TumblingWindow.maximumStateBytes)
        #expect(window.next([r(1, 10), r(2, 20)], max: 1, now: 21) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: limit) == .proceed)
        #expect(window.next([r(2, 20)], max: 1, now: 21) == .invoke(invoke([r(2, 20)], limit)))
    }

    @Test func aResponseWithoutStateIsAFailedInvocation() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: nil) == .retryAsFunctionError)
        #expect(window.invocation(of: [r(1, 10)]) == one)
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
    }

    @Test func aFinalInvokeWithoutStateFailsAndIsRetried() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        let final = invoke([], [:], final: true)
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: [:]) == .proceed)
        #expect(window.next([], now: 120) == .invoke(final))
        #expect(window.invocationSucceeded(final, state: nil) == .retryAsFunctionError)
        #expect(window.next([], now: 125) == .invoke(final))
    }

    @Test func reshardingClosesTheWindow() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
        window.shardEnded()
        #expect(window.next([], now: 12) == .invoke(invoke([], ["n": 1], final: true)))
    }

    @Test func theRestOfAPartlyFailedBatchIsRetriedWithTheNewState() {
        var window = TumblingWindow(length: .seconds(120))
        let both = invoke([r(1, 10), r(2, 11)], [:])
        #expect(window.next([r(1, 10), r(2, 11)], now: 12) == .invoke(both))
        #expect(window.invocationSucceeded(both, state: ["n": 1]) == .proceed)  // batchItemFailures: record 2
        #expect(window.invocation(of: [r(2, 11)]) == invoke([r(2, 11)], ["n": 1]))
    }

    @Test func givingUpKeepsTheStateAndAGivenUpFinalInvokeClosesTheWindow() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        let two = invoke([r(2, 20)], ["n": 1])
        let final = invoke([], ["n": 1], final: true)
        #expect(window.next([r(1, 10), r(2, 20)], max: 1, now: 21) == .invoke(one))
        #expect(window.invocationSucceeded(one, state: ["n": 1]) == .proceed)
        #expect(window.next([r(2, 20)], max: 1, now: 21) == .invoke(two))
        #expect(window.invocationGivenUp(two) == .proceed)
        #expect(window.next([], max: 1, now: 120) == .invoke(final))
        #expect(window.invocationGivenUp(final) == .checkpoint(through: seq(2)))
    }

    @Test func aLateRecordOpensAWindowOfItsOwnInterval() {
        var window = TumblingWindow(length: .seconds(120))
        let late = invoke([r(2, 100)], [:])
        #expect(window.next([r(1, 130)], now: 131) == .invoke(invoke([r(1, 130)], [:], in: Self.second)))
        #expect(window.invocationSucceeded(invoke([r(1, 130)], [:], in: Self.second), state: [:]) == .proceed)
        #expect(window.next([r(2, 100)], now: 132) == .invoke(invoke([], [:], final: true, in: Self.second)))
        let secondFinal = invoke([], [:], final: true, in: Self.second)
        #expect(window.invocationSucceeded(secondFinal, state: [:]) == .checkpoint(through: seq(1)))
        #expect(window.next([r(2, 100)], now: 132) == .invoke(late))
    }

    @Test func answersForAnotherWindowChangeNothing() {
        var window = TumblingWindow(length: .seconds(120))
        let one = invoke([r(1, 10)], [:])
        #expect(window.next([r(1, 10)], now: 11) == .invoke(one))
        #expect(window.invocationSucceeded(invoke([], [:], final: true, in: Self.second), state: [:]) == .proceed)
        #expect(window.openWindow == Self.first)
    }
}

extension TumblingWindow {
    fileprivate mutating func next(_ pending: [StreamRecord], max: Int = 100, now seconds: Double) -> Step {
        nextInvocation(pending: pending, maximumCount: max, now: at(seconds))
    }
}

private let t0 = Timestamp(secondsSinceEpoch: 1_607_497_440)  // 2020-12-09T07:04:00Z

private func at(_ seconds: Double) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: t0.millisecondsSinceEpoch + Int64((seconds * 1000).rounded()))
}

private func ms(_ milliseconds: Int64) -> Timestamp {
    Timestamp(millisecondsSinceEpoch: milliseconds)
}

private func seq(_ number: Int) -> StreamSequenceNumber {
    StreamSequenceNumber(String(number))
}

/// Record `number`, arrived `seconds` after `t0`.
private func r(_ number: Int, _ seconds: Double) -> StreamRecord {
    StreamRecord(sequenceNumber: seq(number), partitionKey: "k", data: [], arrival: at(seconds))
}

private func invoke(
    _ records: [StreamRecord],
    _ state: JSONObject,
    final: Bool = false,
    terminatedEarly: Bool = false,
    in window: TumblingWindow.Interval = TumblingWindowTests.first
) -> TumblingWindow.Invocation {
    TumblingWindow.Invocation(
        records: records,
        window: window,
        state: state,
        isFinalInvokeForWindow: final,
        isWindowTerminatedEarly: terminatedEarly
    )
}
