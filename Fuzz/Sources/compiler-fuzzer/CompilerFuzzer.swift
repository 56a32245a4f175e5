import ConfigLang

/// libFuzzer's entry point: the bytes as a config file, compiled to a plan and both
/// outputs rendered. Any trap, unbounded recursion or allocation over libFuzzer's
/// `-rss_limit_mb` is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func compileConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = SourceFile(name: "config.yaml", bytes: bytes)
    let result = PlanBuilder.compile([file], environment: ["HOME": "/home/fuzz", "MODELS": "/models"])
    if let plan = result.plan {
        _ = PlanRenderer.render(plan, format: .json)
    }
    _ = result.diagnostics.count
    return 0
}
