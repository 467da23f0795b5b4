/// PutFunctionConcurrency's rules: a non-negative limit, and an account of 1,000 concurrent executions of which at
/// least 100 stay unreserved (AWS's default quotas; the text is recorded).
public enum ReservedConcurrency {
    /// The account's concurrent executions (AWS's default quota).
    public static let accountLimit = 1000
    /// What every account keeps unreserved.
    public static let minimumUnreserved = 100

    /// The model constraints: `ReservedConcurrentExecutions` present and ≥ 0.
    public static func validate(_ request: FunctionConcurrency) throws(AWSError) -> Int {
        var errors = ValidationErrors()
        guard let value = request.reservedConcurrentExecutions else {
            errors.addMissing(path: "reservedConcurrentExecutions")
            try errors.throwIfAny()
            return 0
        }
        errors.checkRange(value, 0...Int.max, path: "reservedConcurrentExecutions")
        try errors.throwIfAny()
        return value
    }

    /// Refuses a limit that leaves fewer than ``minimumUnreserved`` executions unreserved.
    ///
    /// - Parameter reservedByOthers: the sum of the other functions' limits in the region (this function's
    ///   current limit is replaced, so it does not count).
    public static func check(_ requested: Int, reservedByOthers: Int) throws(AWSError) {
        guard accountLimit - reservedByOthers - requested < minimumUnreserved else { return }
        throw .invalidParameterValue(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
                + "below its minimum value of [\(minimumUnreserved)]."
        )
    }
}
