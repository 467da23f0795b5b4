import Testing

@testable import SluiceCore

/// `reference/semantics.md` §6.1 and §6.2.
@Suite struct FilterPatternTests {
    /// One pattern, one record, and whether the record is kept.
    struct Example: Sendable, CustomTestStringConvertible {
        let pattern: String
        let record: String
        let matches: Bool

        init(_ pattern: String, _ record: String, _ matches: Bool) {
            self.pattern = pattern
            self.record = record
            self.matches = matches
        }

        var testDescription: String { "\(pattern) \(matches ? "keeps" : "drops") \(record)" }
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let pattern: String
        let code: FilterPatternError.Code

        init(_ pattern: String, _ code: FilterPatternError.Code) {
            self.pattern = pattern
            self.code = code
        }

        var testDescription: String { "\(pattern) → \(code)" }
    }

    private func expectMatch(_ example: Example, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let pattern = try FilterPattern(parsing: example.pattern)
        let record = try JSONValue(parsing: example.record)
        #expect(pattern.matches(record) == example.matches, sourceLocation: sourceLocation)
    }

    // MARK: - Operators (§6.2)

    @Test(arguments: [
        Example(#"{"Name":["Alice"]}"#, #"{"Name":"Alice"}"#, true),
        Example(#"{"Name":["Alice"]}"#, #"{"Name":"alice"}"#, false),
        Example(#"{"Name":["Alice"]}"#, #"{"Name":"Alice "}"#, false),
        Example(#"{"Name":["Alice"]}"#, #"{"Other":"Alice"}"#, false),
        Example(#"{"Type":["Credit","Debit"]}"#, #"{"Type":"Debit"}"#, true),
        Example(#"{"Type":["Credit","Debit"]}"#, #"{"Type":"Cash"}"#, false),
        Example(#"{"Loc":["NY"],"Day":["Mon"]}"#, #"{"Loc":"NY","Day":"Mon"}"#, true),
        Example(#"{"Loc":["NY"],"Day":["Mon"]}"#, #"{"Loc":"NY","Day":"Tue"}"#, false),
        Example(#"{"Loc":["NY"],"Day":["Mon"]}"#, #"{"Loc":"NY"}"#, false),
        Example(#"{"UserID":[null]}"#, #"{"UserID":null}"#, true),
        Example(#"{"UserID":[null]}"#, #"{"UserID":"null"}"#, false),
        Example(#"{"UserID":[null]}"#, #"{}"#, false),
        Example(#"{"LastName":[""]}"#, #"{"LastName":""}"#, true),
        Example(#"{"LastName":[""]}"#, #"{"LastName":" "}"#, false),
        Example(#"{"LastName":[""]}"#, #"{"LastName":null}"#, false),
        Example(#"{"ok":[true]}"#, #"{"ok":true}"#, true),
        Example(#"{"ok":[true]}"#, #"{"ok":"true"}"#, false),
        Example(#"{"ok":[false]}"#, #"{"ok":true}"#, false),
    ])
    func plainValuesCompareExactly(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"n":[300]}"#, #"{"n":300}"#, true),
        Example(#"{"n":[300]}"#, #"{"n":300.0}"#, false),
        Example(#"{"n":[300]}"#, #"{"n":3.0e2}"#, false),
        Example(#"{"n":[300]}"#, #"{"n":"300"}"#, false),
        Example(#"{"n":[300.0]}"#, #"{"n":300.0}"#, true),
        Example(#"{"n":[300.0]}"#, #"{"n":300}"#, false),
        Example(#"{"n":[3.0e2]}"#, #"{"n":3.0e2}"#, true),
        Example(#"{"n":[3.0e2]}"#, #"{"n":3.0E2}"#, false),
    ])
    func plainNumbersCompareByTheirLiteralText(example: Example) throws {
        try expectMatch(example)
    }

    @Test func plainStringsCompareByUnicodeScalarsWithoutNormalization() throws {
        let pattern = try FilterPattern(parsing: #"{"name":["caf\u00e9"]}"#)
        #expect(pattern.matches(["name": "caf\u{E9}"]))
        #expect(!pattern.matches(["name": "cafe\u{301}"]))
    }

    @Test(arguments: [
        Example(#"{"P":[{"exists":true}]}"#, #"{"P":"x"}"#, true),
        Example(#"{"P":[{"exists":true}]}"#, #"{"P":null}"#, true),
        Example(#"{"P":[{"exists":true}]}"#, #"{"P":[1]}"#, true),
        Example(#"{"P":[{"exists":true}]}"#, #"{}"#, false),
        Example(#"{"P":[{"exists":true}]}"#, #"{"P":{"S":"x"}}"#, false),
        Example(#"{"P":[{"exists":true}]}"#, #"{"P":[]}"#, false),
        Example(#"{"P":[{"exists":false}]}"#, #"{}"#, true),
        Example(#"{"P":[{"exists":false}]}"#, #"{"P":{"S":"x"}}"#, true),
        Example(#"{"P":[{"exists":false}]}"#, #"{"P":"x"}"#, false),
        Example(#"{"P":[{"exists":false}]}"#, #"{"P":null}"#, false),
        Example(#"{"a":{"P":[{"exists":false}]}}"#, #"{}"#, true),
        Example(#"{"a":{"P":[{"exists":false}]}}"#, #"{"a":"scalar"}"#, true),
        Example(#"{"a":{"P":[{"exists":true}]}}"#, #"{"a":"scalar"}"#, false),
    ])
    func existsLooksAtLeafValuesOnly(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{"state":"run"}"#, true),
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{"state":"init"}"#, false),
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{}"#, false),
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{"state":{"S":"run"}}"#, false),
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{"state":5}"#, true),
        Example(#"{"state":[{"anything-but":"init"}]}"#, #"{"state":null}"#, true),
        Example(#"{"state":[{"anything-but":["a","b"]}]}"#, #"{"state":"c"}"#, true),
        Example(#"{"state":[{"anything-but":["a","b"]}]}"#, #"{"state":"b"}"#, false),
        Example(#"{"state":[{"anything-but":["a","b"]}]}"#, #"{"state":"A"}"#, true),
        Example(#"{"n":[{"anything-but":[1,2]}]}"#, #"{"n":3}"#, true),
        Example(#"{"n":[{"anything-but":[1,2]}]}"#, #"{"n":2}"#, false),
        Example(#"{"n":[{"anything-but":[1,2]}]}"#, #"{"n":2.0}"#, false),
        Example(#"{"n":[{"anything-but":[1,2]}]}"#, #"{"n":"2"}"#, true),
        Example(#"{"n":[{"anything-but":100}]}"#, #"{"n":100}"#, false),
        Example(#"{"n":[{"anything-but":100}]}"#, #"{"n":101}"#, true),
    ])
    func anythingButNeedsAnExistingValueOutsideTheList(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"n":[{"numeric":["=",100]}]}"#, #"{"n":100}"#, true),
        Example(#"{"n":[{"numeric":["=",100]}]}"#, #"{"n":1.0e2}"#, true),
        Example(#"{"n":[{"numeric":["=",100]}]}"#, #"{"n":101}"#, false),
        Example(#"{"n":[{"numeric":["=",100]}]}"#, #"{"n":"100"}"#, false),
        Example(#"{"n":[{"numeric":[">",10,"<=",20]}]}"#, #"{"n":10}"#, false),
        Example(#"{"n":[{"numeric":[">",10,"<=",20]}]}"#, #"{"n":10.5}"#, true),
        Example(#"{"n":[{"numeric":[">",10,"<=",20]}]}"#, #"{"n":20}"#, true),
        Example(#"{"n":[{"numeric":[">",10,"<=",20]}]}"#, #"{"n":20.01}"#, false),
        Example(#"{"n":[{"numeric":[">=",10,"<",20]}]}"#, #"{"n":10}"#, true),
        Example(#"{"n":[{"numeric":[">=",10,"<",20]}]}"#, #"{"n":20}"#, false),
        Example(#"{"n":[{"numeric":["<",0]}]}"#, #"{"n":-1}"#, true),
        Example(#"{"n":[{"numeric":["<",0]}]}"#, #"{"n":0}"#, false),
        Example(#"{"n":[{"numeric":["<=",0]}]}"#, #"{"n":0}"#, true),
        Example(#"{"n":[{"numeric":[">",0]}]}"#, #"{"n":1e-9}"#, true),
        Example(#"{"n":[{"numeric":[">=",0]}]}"#, #"{"n":-0.5}"#, false),
        Example(#"{"n":[{"numeric":[">=",0]}]}"#, #"{"n":true}"#, false),
        Example(#"{"n":[{"numeric":[">=",0]}]}"#, #"{}"#, false),
    ])
    func numericMatchesOnlyJSONNumbersInRange(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"r":[{"prefix":"us-"}]}"#, #"{"r":"us-east-1"}"#, true),
        Example(#"{"r":[{"prefix":"us-"}]}"#, #"{"r":"eu-west-1"}"#, false),
        Example(#"{"r":[{"prefix":"us-"}]}"#, #"{"r":"US-east-1"}"#, false),
        Example(#"{"r":[{"prefix":"1"}]}"#, #"{"r":12}"#, false),
        Example(#"{"r":[{"prefix":{"equals-ignore-case":"eventb"}}]}"#, #"{"r":"EventBridge"}"#, true),
        Example(#"{"r":[{"prefix":{"equals-ignore-case":"eventb"}}]}"#, #"{"r":"Bridge"}"#, false),
        Example(#"{"f":[{"suffix":".png"}]}"#, #"{"f":"a.png"}"#, true),
        Example(#"{"f":[{"suffix":".png"}]}"#, #"{"f":"a.PNG"}"#, false),
        Example(#"{"f":[{"suffix":".png"}]}"#, #"{"f":"a.png.jpg"}"#, false),
        Example(#"{"f":[{"suffix":{"equals-ignore-case":"tBridge"}}]}"#, #"{"f":"EventBRIDGE"}"#, true),
        Example(#"{"f":[{"suffix":{"equals-ignore-case":"tBridge"}}]}"#, #"{"f":"Bridge"}"#, false),
        Example(#"{"n":[{"equals-ignore-case":"alice"}]}"#, #"{"n":"ALICE"}"#, true),
        Example(#"{"n":[{"equals-ignore-case":"alice"}]}"#, #"{"n":"alicia"}"#, false),
        Example(#"{"n":[{"equals-ignore-case":"true"}]}"#, #"{"n":true}"#, false),
    ])
    func prefixSuffixAndIgnoreCaseMatchOnlyStrings(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"a":"1"}"#, true),
        Example(#"{"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"b":"2"}"#, true),
        Example(#"{"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"a":"2","b":"1"}"#, false),
        Example(#"{"c":["x"],"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"c":"x","b":"2"}"#, true),
        Example(#"{"c":["x"],"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"c":"y","b":"2"}"#, false),
        Example(#"{"d":{"$or":[{"a":["1"]},{"b":["2"]}]}}"#, #"{"d":{"b":"2"}}"#, true),
        Example(#"{"d":{"$or":[{"a":["1"]},{"b":["2"]}]}}"#, #"{"b":"2"}"#, false),
        Example(
            #"{"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":[{"numeric":[">",5]}]}]}]}"#, #"{"c":6}"#, true
        ),
    ])
    func orAcrossKeysNeedsOneAlternative(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"detail":{"state":["running"]}}"#, #"{"detail":{"state":"running"}}"#, true),
        Example(#"{"detail":{"state":["running"]}}"#, #"{"detail":{"state":"stopped"}}"#, false),
        Example(#"{"detail":{"state":["running"]}}"#, #"{"detail.state":"running"}"#, false),
        Example(#"{"detail":{"state":["running"]}}"#, #"{"detail":"running"}"#, false),
        Example(#"{"detail":{"state":["running"]}}"#, #"{"state":"running"}"#, false),
        Example(#"{"a":{"b":{"c":["x"]}},"d":["y"]}"#, #"{"a":{"b":{"c":"x"}},"d":"y"}"#, true),
    ])
    func nestedPatternsDescendIntoNestedObjects(example: Example) throws {
        try expectMatch(example)
    }

    @Test(arguments: [
        Example(#"{"tags":["b"]}"#, #"{"tags":["a","b"]}"#, true),
        Example(#"{"tags":["b"]}"#, #"{"tags":["a","c"]}"#, false),
        Example(#"{"tags":["b"]}"#, #"{"tags":[["a"],["b"]]}"#, true),
        Example(#"{"tags":[{"prefix":"b"}]}"#, #"{"tags":["a","bc"]}"#, true),
        Example(#"{"tags":[{"anything-but":"a"}]}"#, #"{"tags":["a","b"]}"#, true),
        Example(#"{"tags":[{"anything-but":"a"}]}"#, #"{"tags":["a"]}"#, false),
        Example(#"{"items":{"id":["2"]}}"#, #"{"items":[{"id":"1"},{"id":"2"}]}"#, true),
        Example(#"{"items":{"id":["3"]}}"#, #"{"items":[{"id":"1"},{"id":"2"}]}"#, false),
        Example(#"{"items":{"id":["1"],"ok":[true]}}"#, #"{"items":[{"id":"1"},{"ok":true}]}"#, false),
        Example(#"{"items":{"id":["1"],"ok":[true]}}"#, #"{"items":[{"id":"1","ok":true}]}"#, true),
    ])
    func recordArraysMatchWhenAnyElementMatches(example: Example) throws {
        try expectMatch(example)
    }

    @Test func duplicateKeysInAPatternKeepTheLastOne() throws {
        let pattern = try FilterPattern(parsing: #"{"a":["x"],"a":["y"]}"#)
        #expect(pattern.matches(["a": "y"]))
        #expect(!pattern.matches(["a": "x"]))
    }

    @Test func patternParsesIntoATypedTree() throws {
        let text =
            #"{"a":{"b":["x",1,null,{"numeric":[">=",1,"<",2]}]},"#
            + #""$or":[{"c":[{"exists":true}]},{"d":[true]}]}"#
        let pattern = try FilterPattern(parsing: text)
        let range = FilterPattern.NumericComparison.range(
            lower: .init(1, isInclusive: true), upper: .init(2, isInclusive: false)
        )
        let expected = FilterPattern(
            fields: [
                .init(
                    key: "a",
                    rule: .nested(
                        FilterPattern(fields: [
                            .init(
                                key: "b",
                                rule: .anyOf([
                                    .equals("x"), .equals(1), .equals(nil),
                                    .numeric(range),
                                ])
                            )
                        ])
                    )
                )
            ],
            alternatives: [
                FilterPattern(fields: [.init(key: "c", rule: .anyOf([.exists(true)]))]),
                FilterPattern(fields: [.init(key: "d", rule: .anyOf([.equals(true)]))]),
            ]
        )
        #expect(pattern == expected)
        #expect(pattern.rule(forKey: "a") != nil)
        #expect(pattern.rule(forKey: "$or") == nil)
    }

    // MARK: - Recorded and documented examples (§6.1, §6.3)

    @Test func dynamoDBExistsFalseOnATypedAttributeKeepsItemsWithAndWithoutIt() throws {
        let pattern = try FilterPattern(parsing: #"{"dynamodb":{"NewImage":{"presentKey":[{"exists":false}]}}}"#)
        let without = try JSONValue(parsing: #"{"eventName":"INSERT","dynamodb":{"NewImage":{"id":{"S":"1"}}}}"#)
        let with = try JSONValue(
            parsing: #"{"eventName":"INSERT","dynamodb":{"NewImage":{"id":{"S":"2"},"#
                + #""presentKey":{"S":"presentValue"}}}}"#
        )
        #expect(pattern.matches(without))
        #expect(pattern.matches(with))

        let throughTypeKey = try FilterPattern(
            parsing: #"{"dynamodb":{"NewImage":{"presentKey":{"S":[{"exists":true}]}}}}"#
        )
        #expect(!throughTypeKey.matches(without))
        #expect(throughTypeKey.matches(with))
    }

    @Test func dynamoDBEventNameFilterKeepsInsertAndDropsModify() throws {
        let pattern = try FilterPattern(parsing: #"{"eventName":["INSERT"],"eventSource":["aws:dynamodb"]}"#)
        #expect(pattern.matches(["eventName": "INSERT", "eventSource": "aws:dynamodb", "dynamodb": ["Keys": [:]]]))
        #expect(!pattern.matches(["eventName": "MODIFY", "eventSource": "aws:dynamodb", "dynamodb": ["Keys": [:]]]))
    }

    @Test func dynamoDBNumberAttributesAreStringsSoNumericNeverMatchesThem() throws {
        let record = try JSONValue(
            parsing: #"{"dynamodb":{"ApproximateCreationDateTime":1700000000,"NewImage":{"count":{"N":"5"}}}}"#
        )
        let onAttribute = try FilterPattern(
            parsing: #"{"dynamodb":{"NewImage":{"count":{"N":[{"numeric":[">",0]}]}}}}"#
        )
        let onTimestamp = try FilterPattern(
            parsing: #"{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",1600000000]}]}}"#
        )
        #expect(!onAttribute.matches(record))
        #expect(onTimestamp.matches(record))
    }

    @Test func kinesisPatternFiltersOnRecordFieldsAndDecodedData() throws {
        let pattern = try FilterPattern(
            parsing: #"{"partitionKey":["1"],"data":{"event_type":["function_new_name"]}}"#
        )
        func record(partitionKey: String, data: String) throws -> JSONValue {
            try JSONValue(
                parsing: """
                    {"kinesisSchemaVersion":"1.0","partitionKey":"\(partitionKey)",
                     "sequenceNumber":"49590338271490256608559692538361571095921575989136588898",
                     "approximateArrivalTimestamp":1545084650.987,"data":\(data)}
                    """
            )
        }
        #expect(pattern.matches(try record(partitionKey: "1", data: #"{"event_type":"function_new_name","id":7}"#)))
        #expect(!pattern.matches(try record(partitionKey: "1", data: #"{"event_type":"other"}"#)))
        #expect(!pattern.matches(try record(partitionKey: "2", data: #"{"event_type":"function_new_name"}"#)))
        #expect(!pattern.matches(try record(partitionKey: "1", data: #""bm90IGpzb24=""#)))
    }

    @Test func aRecordIsKeptWhenAnyFilterMatches() throws {
        let filters = [
            try FilterPattern(parsing: #"{"a":["1"]}"#),
            try FilterPattern(parsing: #"{"b":["2"]}"#),
        ]
        #expect(FilterPattern.anyMatches(filters, ["b": "2"]))
        #expect(FilterPattern.anyMatches(filters, ["a": "1"]))
        #expect(!FilterPattern.anyMatches(filters, ["a": "2", "b": "1"]))
    }

    @Test func noFiltersKeepEveryRecord() {
        #expect(FilterPattern.anyMatches([], ["anything": 1]))
    }

    @Test func nonObjectRecordsHaveNoKeys() throws {
        #expect(!(try FilterPattern(parsing: #"{"a":["x"]}"#).matches("x")))
        #expect(try FilterPattern(parsing: #"{"a":[{"exists":false}]}"#).matches("x"))
    }

    // MARK: - Invalid patterns (§6.1, §6.2)

    @Test(arguments: [
        Invalid("null", .notAnObject),
        Invalid(#""a plain string""#, .notAnObject),
        Invalid("[]", .notAnObject),
        Invalid("42", .notAnObject),
        Invalid("a plain string", .malformedJSON),
        Invalid(#"{"a":["x"]"#, .malformedJSON),
        Invalid(#"{"a":["x"]} trailing"#, .malformedJSON),
        Invalid("", .malformedJSON),
        Invalid("{}", .emptyObject),
        Invalid(#"{"a":{}}"#, .emptyObject),
        Invalid(#"{"a":"x"}"#, .notObjectOrArray),
        Invalid(#"{"a":1}"#, .notObjectOrArray),
        Invalid(#"{"a":null}"#, .notObjectOrArray),
        Invalid(#"{"a":true}"#, .notObjectOrArray),
        Invalid(#"{"a":[]}"#, .emptyArray),
        Invalid(#"{"a":{"b":[]}}"#, .emptyArray),
        Invalid(#"{"a":[["x"]]}"#, .invalidMatchValue),
    ])
    func rejectsPatternsThatAreNotObjectsOfNonEmptyArrays(invalid: Invalid) {
        expectRejected(invalid)
    }

    @Test(arguments: [
        Invalid(#"{"a":[{"foo":1}]}"#, .unknownOperator),
        Invalid(#"{"a":[{"equals":"x"}]}"#, .unknownOperator),
        Invalid(#"{"a":[{"Prefix":"x"}]}"#, .unknownOperator),
        Invalid(#"{"a":[{"wildcard":"dir/*.png"}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{"cidr":"10.0.0.0/24"}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{"anything-but":{"prefix":"us-"}}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{"anything-but":{"suffix":".png"}}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{"anything-but":{"equals-ignore-case":"x"}}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{"anything-but":{"wildcard":"*.png"}}]}"#, .unsupportedOperator),
        Invalid(#"{"a":[{}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":"x","suffix":"y"}]}"#, .invalidOperand),
    ])
    func rejectsUnknownAndUnsupportedOperators(invalid: Invalid) {
        expectRejected(invalid)
    }

    @Test(arguments: [
        Invalid(#"{"a":[{"exists":"true"}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"exists":1}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"exists":null}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":5}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":null}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":["x"]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":{"equals-ignore-case":5}}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"prefix":{"other":"x"}}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"suffix":true}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"suffix":{"equals-ignore-case":"x","other":"y"}}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"equals-ignore-case":5}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"equals-ignore-case":["x"]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":null}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":true}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":[]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":["a",1]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":[null]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":[["a"]]}]}"#, .invalidOperand),
        Invalid(#"{"a":[{"anything-but":{"other":"x"}}]}"#, .invalidOperand),
    ])
    func rejectsOperatorsWithOperandsOfTheWrongType(invalid: Invalid) {
        expectRejected(invalid)
    }

    @Test(arguments: [
        Invalid(#"{"a":[{"numeric":[]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":">"}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">"]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">","1"]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[1,">"]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":["!=",1]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":["=",1,"<",2]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":["<",1,">",0]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">",1,">",5]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">",1,"=",5]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">",1,"<"]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">",5,"<",1]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">=",5,"<=",5]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":[">",1,"<",2,"<",3]}]}"#, .invalidNumeric),
        Invalid(#"{"a":[{"numeric":["=",1e400]}]}"#, .invalidNumeric),
    ])
    func rejectsMalformedNumericOperatorLists(invalid: Invalid) {
        expectRejected(invalid)
    }

    @Test(arguments: [
        Invalid(#"{"$or":[{"a":["1"]}]}"#, .invalidOr),
        Invalid(#"{"$or":[]}"#, .invalidOr),
        Invalid(#"{"$or":{"a":["1"]}}"#, .invalidOr),
        Invalid(#"{"$or":[{"a":["1"]},"b"]}"#, .invalidOr),
        Invalid(#"{"$or":[{"a":["1"]},{}]}"#, .emptyObject),
        Invalid(#"{"$or":[{"a":["1"]},{"b":[]}]}"#, .emptyArray),
    ])
    func rejectsOrWithFewerThanTwoValidAlternatives(invalid: Invalid) {
        expectRejected(invalid)
    }

    @Test(arguments: [
        #"{"Name":["Alice"],"Type":["Credit","Debit"],"UserID":[null],"LastName":[""]}"#,
        #"{"P":[{"exists":true}],"Q":[{"exists":false}]}"#,
        #"{"s":[{"anything-but":"init"}],"t":[{"anything-but":["a","b"]}],"u":[{"anything-but":[1,2.5]}]}"#,
        #"{"n":[{"numeric":["=",100]},{"numeric":[">",10,"<=",20]},{"numeric":["<",-1.5e3]}]}"#,
        #"{"r":[{"prefix":"us-"},{"prefix":{"equals-ignore-case":"eventb"}},{"prefix":""}]}"#,
        #"{"f":[{"suffix":".png"},{"suffix":{"equals-ignore-case":"tBridge"}},{"equals-ignore-case":"alice"}]}"#,
        #"{"$or":[{"a":["1"]},{"b":["2"]}],"c":{"$or":[{"d":[1]},{"e":[2]}]}}"#,
    ])
    func acceptsEveryOperatorLambdaSupports(pattern: String) {
        #expect(throws: Never.self) { try FilterPattern(parsing: pattern) }
    }

    @Test func errorsNameThePathToTheProblem() {
        let error = #expect(throws: FilterPatternError.self) {
            try FilterPattern(parsing: #"{"dynamodb":{"NewImage":{"id":"x"}}}"#)
        }
        #expect(error?.code == .notObjectOrArray)
        #expect(error?.path == ["dynamodb", "NewImage", "id"])
        #expect(FilterPatternError.awsMessage == "Invalid filter pattern definition.")
    }

    private func expectRejected(_ invalid: Invalid, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let pattern = try FilterPattern(parsing: invalid.pattern)
            Issue.record("accepted \(invalid.pattern) as \(pattern)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == invalid.code, "\(error)", sourceLocation: sourceLocation)
        }
    }
}
