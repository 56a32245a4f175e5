// swift-tools-version:6.2
// A libFuzzer target for the config compiler, kept out of the main package so that a
// plain `swift build` / `swift test` never needs the fuzzer runtime. Build and run it
// with scripts/fuzz-compiler.sh.
import PackageDescription

let package = Package(
    name: "swap-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swap", path: "..")],
    targets: [
        .executableTarget(
            name: "compiler-fuzzer",
            dependencies: [.product(name: "ConfigLang", package: "swap")],
            // libFuzzer supplies `main`; the Swift file only defines the entry point.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
