import Testing

@testable import SluiceRuntime

/// The START / END / REPORT lines (`reference/runtime-api.md` §2.5) and the billed duration.
@Suite struct FunctionLogLineTests {
    static let id = "8f507cfc-1234-4697-b07a-ac58fc914c95"

    @Test func startNamesTheVersion() {
        #expect(
            FunctionLogLine.start(requestId: Self.id, version: "$LATEST")
                == "START RequestId: \(Self.id) Version: $LATEST")
        #expect(FunctionLogLine.start(requestId: Self.id, version: "3") == "START RequestId: \(Self.id) Version: 3")
    }

    @Test func endNamesTheRequest() {
        #expect(FunctionLogLine.end(requestId: Self.id) == "END RequestId: \(Self.id)")
    }

    @Test func warmReportIsTabSeparatedWithATrailingTab() {
        let report = InvocationLogReport(duration: .microseconds(12_340), memorySizeMB: 128, maxMemoryUsedMB: 40)
        #expect(
            FunctionLogLine.report(requestId: Self.id, report)
                == "REPORT RequestId: \(Self.id)\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 40 MB\t"
        )
    }

    @Test func coldReportAddsInitDurationAfterMaxMemoryUsed() {
        let report = InvocationLogReport(
            duration: .microseconds(15_740), memorySizeMB: 128, maxMemoryUsedMB: 56,
            initDuration: .microseconds(130_490)
        )
        #expect(
            FunctionLogLine.report(requestId: Self.id, report)
                == "REPORT RequestId: \(Self.id)\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 56 MB\tInit Duration: 130.49 ms\t"
        )
    }

    @Test func timeoutReportEndsWithItsStatus() {
        let report = InvocationLogReport(
            duration: .seconds(3), memorySizeMB: 128, maxMemoryUsedMB: 35, initDuration: .microseconds(67_490),
            status: .timeout
        )
        #expect(
            FunctionLogLine.report(requestId: Self.id, report)
                == "REPORT RequestId: \(Self.id)\tDuration: 3000.00 ms\tBilled Duration: 3068 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 35 MB\tInit Duration: 67.49 ms\tStatus: timeout"
        )
    }

    @Test func errorReportEndsWithStatusAndErrorType() {
        let report = InvocationLogReport(
            duration: .microseconds(1_500), memorySizeMB: 256, maxMemoryUsedMB: 20,
            status: .error(errorType: "Runtime.ExitError")
        )
        #expect(
            FunctionLogLine.report(requestId: Self.id, report)
                == "REPORT RequestId: \(Self.id)\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\t"
                + "Max Memory Used: 20 MB\tStatus: error\tError Type: Runtime.ExitError"
        )
    }

    @Test(arguments: [
        (Duration.microseconds(12_001), 13),
        (Duration.milliseconds(12), 12),
        (Duration.nanoseconds(12_000_001), 13),
        (Duration.seconds(3), 3000),
        (Duration.microseconds(100), 1),
        (Duration.zero, 1),
    ])
    func billedDurationIsRoundedUpToTheMillisecond(duration: Duration, billed: Int) {
        #expect(
            InvocationLogReport(duration: duration, memorySizeMB: 128, maxMemoryUsedMB: 1).billedDurationMilliseconds
                == billed)
    }

    @Test func billedDurationOfAColdStartIncludesTheInitDuration() {
        // Recorded: Duration 4.42 ms + Init Duration 333.05 ms = Billed Duration 338 ms (sum, then rounded up).
        let report = InvocationLogReport(
            duration: .microseconds(4_420), memorySizeMB: 1152, maxMemoryUsedMB: 75,
            initDuration: .microseconds(333_050)
        )
        #expect(report.billedDurationMilliseconds == 338)
    }

    @Test(arguments: [
        (Duration.nanoseconds(12_344_999), "12.34"),
        (Duration.nanoseconds(12_345_000), "12.35"),
        (Duration.microseconds(3_050), "3.05"),
        (Duration.seconds(1), "1000.00"),
        (Duration.zero, "0.00"),
        (Duration.milliseconds(-5), "0.00"),
    ])
    func durationsHaveTwoDecimals(duration: Duration, text: String) {
        #expect(FunctionLogLine.milliseconds(duration) == text)
    }
}
