/// The routes of versions, aliases and reserved concurrency (botocore's Lambda model): under
/// `/2015-03-31/functions/{name}/versions|aliases[/{alias}]`, and `…/{name}/concurrency` under `2017-10-31` (Put,
/// Delete) and `2019-09-30` (Get).
extension LambdaOperation {
    static func versionsOperation(method: String, segments: [String]) -> LambdaOperation? {
        guard segments.count == 4 || segments.count == 5, segments[1] == "functions" else { return nil }
        let name = segments[2]
        let alias = segments.count == 5 ? segments[4] : nil
        switch (method, segments[0], segments[3], alias) {
        case ("POST", "2015-03-31", "versions", nil): return .publishVersion(name: name)
        case ("GET", "2015-03-31", "versions", nil): return .listVersionsByFunction(name: name)
        case ("POST", "2015-03-31", "aliases", nil): return .createAlias(name: name)
        case ("GET", "2015-03-31", "aliases", nil): return .listAliases(name: name)
        case ("GET", "2015-03-31", "aliases", let alias?): return .getAlias(name: name, alias: alias)
        case ("PUT", "2015-03-31", "aliases", let alias?): return .updateAlias(name: name, alias: alias)
        case ("DELETE", "2015-03-31", "aliases", let alias?): return .deleteAlias(name: name, alias: alias)
        case ("PUT", "2017-10-31", "concurrency", nil): return .putFunctionConcurrency(name: name)
        case ("GET", "2019-09-30", "concurrency", nil): return .getFunctionConcurrency(name: name)
        case ("DELETE", "2017-10-31", "concurrency", nil): return .deleteFunctionConcurrency(name: name)
        default: return nil
        }
    }
}
