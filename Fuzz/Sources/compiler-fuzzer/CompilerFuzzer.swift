import ConfigLang

/// The bytes as a config file, compiled to a plan and the plan rendered. Any trap,
/// unbounded recursion, or allocation over libFuzzer's `-rss_limit_mb` is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func compileConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let file = SourceFile(name: "config.yaml", bytes: bytes)
    let result = PlanBuilder.compile([file], environment: ["HOME": "/home/fuzz", "MODELS": "/models"])
    if let plan = result.plan {
        _ = PlanRenderer.render(plan, format: .json)
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's `main` to this symbol; it hands the command line to
/// libFuzzer's driver (the fuzzer runtime's own `main` is then not linked in).
@_cdecl("compiler_fuzzer_main")
public func fuzzerMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in compileConfig(data, size) }
}
