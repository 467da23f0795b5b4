import Testing

@testable import SluiceCore

@Suite struct JSONValueTests {
    struct Rejection: Sendable, CustomTestStringConvertible {
        let text: String
        let code: JSONParseError.Code
        let offset: Int

        init(_ text: String, _ code: JSONParseError.Code, at offset: Int) {
            self.text = text
            self.code = code
            self.offset = offset
        }

        var testDescription: String { "\(text.debugDescription) → \(code) at \(offset)" }
    }

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("\"\"", .string("")),
        (" \t\r\n[ 1 , \"a\" ] \n", [1, "a"] as JSONValue),
        ("{\"a\":{\"b\":[null,false]}}", ["a": ["b": [nil, false]]] as JSONValue),
    ])
    func parsesEveryKindOfValueSurroundedByWhitespace(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("300", 300), ("300.0", 300), ("3.0e2", 300), ("3E+2", 300), ("-1.5e-3", -0.0015),
        ("1e400", .infinity),
    ])
    func numbersKeepTheirLiteralTextAndExposeADouble(literal: String, value: Double) throws {
        let parsed = try JSONValue(parsing: literal)
        guard case .number(let number) = parsed else {
            Issue.record("not a number: \(parsed)")
            return
        }
        #expect(number.literal == literal)
        #expect(number.doubleValue == value)
        #expect(parsed.jsonText == literal)
    }

    @Test func numbersWithTheSameValueButDifferentLiteralsAreNotEqual() throws {
        #expect(try JSONValue(parsing: "300") != JSONValue(parsing: "300.0"))
        #expect(try JSONValue(parsing: "300.0") != JSONValue(parsing: "3.0e2"))
        #expect(try JSONValue(parsing: "300") == 300)
    }

    @Test(arguments: ["0", "-1", "1.25", "6.02e23", "1E-7"])
    func numberLiteralInitializerAcceptsRFC8259Numbers(literal: String) {
        #expect(JSONNumber(literal: literal)?.literal == literal)
    }

    @Test(arguments: ["", " 1", "1 ", "01", "+1", ".5", "1.", "1e", "0x10", "NaN", "Infinity", "--1", "1e+"])
    func numberLiteralInitializerRejectsAnythingElse(literal: String) {
        #expect(JSONNumber(literal: literal) == nil)
    }

    @Test func numberFromDoubleRejectsNonFiniteValues() {
        #expect(JSONNumber(5.5)?.literal == "5.5")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
    }

    @Test func decodesEverySimpleEscape() throws {
        let parsed = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t""#)
        #expect(parsed == .string("\"\\/\u{08}\u{0C}\n\r\t"))
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""\u00e9\u00E9\ud83d\ude00\u0000""#) == .string("éé😀\u{0}"))
    }

    @Test func keepsRawUTF8Text() throws {
        #expect(try JSONValue(parsing: "\"héllo 😀 世界\"") == .string("héllo 😀 世界"))
    }

    @Test func stringsCompareByUnicodeScalarsNotCanonicalEquivalence() throws {
        let precomposed = try JSONValue(parsing: #""\u00e9""#)
        let decomposed = try JSONValue(parsing: #""e\u0301""#)
        #expect(precomposed != decomposed)
        let object = try JSONValue(parsing: #"{"\u00e9":1,"e\u0301":2}"#)
        #expect(object.objectValue?.count == 2)
        #expect(object["\u{E9}"] == 1)
    }

    @Test(arguments: [
        Rejection("", .unexpectedEndOfInput, at: 0),
        Rejection("   ", .unexpectedEndOfInput, at: 3),
        Rejection("[1,]", .unexpectedCharacter, at: 3),
        Rejection("[1 2]", .unexpectedCharacter, at: 3),
        Rejection("{\"a\":1,}", .unexpectedCharacter, at: 7),
        Rejection("{a:1}", .unexpectedCharacter, at: 1),
        Rejection("{\"a\" 1}", .unexpectedCharacter, at: 5),
        Rejection("'a'", .unexpectedCharacter, at: 0),
        Rejection("tru", .unexpectedEndOfInput, at: 3),
        Rejection("nul!", .unexpectedCharacter, at: 3),
        Rejection("NaN", .unexpectedCharacter, at: 0),
        Rejection("01", .invalidNumber, at: 1),
        Rejection("-", .invalidNumber, at: 1),
        Rejection("1.", .invalidNumber, at: 2),
        Rejection("1e+", .invalidNumber, at: 3),
        Rejection("\"abc", .unexpectedEndOfInput, at: 4),
        Rejection("\"a\tb\"", .unescapedControlCharacter, at: 2),
        Rejection(#""\x""#, .invalidEscape, at: 1),
        Rejection(#""\u12G4""#, .invalidUnicodeEscape, at: 1),
        Rejection(#""\ud800""#, .invalidUnicodeEscape, at: 1),
        Rejection(#""\udc00""#, .invalidUnicodeEscape, at: 1),
        Rejection(#""\ud800\u0041""#, .invalidUnicodeEscape, at: 1),
        Rejection("[1] x", .trailingCharacters, at: 4),
        Rejection("{} {}", .trailingCharacters, at: 3),
        Rejection("1 2", .trailingCharacters, at: 2),
    ])
    func rejectsInvalidTextWithCodeAndPosition(rejection: Rejection) {
        #expect(throws: JSONParseError(code: rejection.code, offset: rejection.offset)) {
            try JSONValue(parsing: rejection.text)
        }
    }

    @Test func rejectsInvalidUTF8InsideStrings() {
        let bytes: [UInt8] = [UInt8(ascii: "["), 0x22, 0xC3, 0x28, 0x22, UInt8(ascii: "]")]
        #expect(throws: JSONParseError(code: .invalidUTF8, offset: 1)) {
            try JSONValue(parsing: bytes)
        }
    }

    @Test func rejectsNonASCIIBytesOutsideStrings() {
        #expect(throws: JSONParseError(code: .unexpectedCharacter, offset: 0)) {
            try JSONValue(parsing: [0xC3, 0xA9])
        }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONValue.maximumNestingDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONValue(parsing: text) }
    }

    @Test(arguments: [JSONValue.maximumNestingDepth + 1, 100_000])
    func rejectsNestingBeyondTheLimitWithoutCrashing(depth: Int) {
        let text = String(repeating: "[{\"a\":", count: depth / 2 + 1)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONParseError(code: .nestingTooDeep, offset: JSONValue.maximumNestingDepth)) {
            try JSONValue(parsing: arrays)
        }
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let parsed = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(parsed["a"] == 3)
        #expect(parsed.objectValue?.keys == ["a", "b"])
        #expect(parsed.jsonText == #"{"a":3,"b":2}"#)
    }

    @Test func objectEqualityIgnoresMemberOrder() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":[2]}"#) == JSONValue(parsing: #"{"b":[2],"a":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1}"#) != JSONValue(parsing: #"{"a":1,"b":2}"#))
    }

    @Test func settingAMemberToNilRemovesIt() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = nil
        #expect(object.keys == ["b"])
        object["a"] = "x"
        #expect(object.members.map(\.key) == ["b", "a"])
    }

    @Test func serializesCompactlyKeepingOrderAndNumberLiterals() throws {
        let text = """
            { "z" : [ 1 , 2.50 , 3e2 ] ,
              "a" : { "n" : null , "t" : true , "f" : false } , "s" : "x" }
            """
        let compact = #"{"z":[1,2.50,3e2],"a":{"n":null,"t":true,"f":false},"s":"x"}"#
        #expect(try JSONValue(parsing: text).jsonText == compact)
    }

    @Test func serializationEscapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("\"\\/\n\r\t\u{08}\u{0C}\u{1F}\u{0}é😀")
        #expect(value.jsonText == #""\"\\/\n\r\t\b\f\u001f\u0000é😀""#)
    }

    @Test(arguments: [
        #"{"a":[1,-2.5e-3,"\"q\"",{"b":null}],"c":"\u0001é"}"#,
        #"[[],{},"",0,true,false,null]"#,
    ])
    func serializationRoundTrips(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }
}
