import Foundation

extension EventSourceMappingConfiguration {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// The configuration as the Lambda API's JSON body. Encoding cannot fail for this type (strings, numbers,
    /// booleans, nested structs); an empty object is returned if it ever did.
    public func encodedJSON() -> [UInt8] {
        (try? Self.encoder.encode(self)).map(Array.init) ?? Array("{}".utf8)
    }
}
