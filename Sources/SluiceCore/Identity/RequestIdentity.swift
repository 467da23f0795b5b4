/// Who a request is from and where it lands: the region of its SigV4 credential scope and the account.
public struct RequestIdentity: Sendable, Equatable {
    public var region: String
    public var account: String
    public var accessKeyID: String?

    public init(region: String, account: String = RequestIdentity.defaultAccount, accessKeyID: String? = nil) {
        self.region = region
        self.account = account
        self.accessKeyID = accessKeyID
    }

    /// The one account Sluice serves (issue 2).
    public static let defaultAccount = "000000000000"
}
