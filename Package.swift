// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "swap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swap-lint", targets: ["swap-lint"]),
        .executable(name: "swap-server", targets: ["swap-server"]),
        .executable(name: "fake-backend", targets: ["fake-backend"]),
        .library(name: "ConfigLang", targets: ["ConfigLang"]),
        .library(name: "Runtime", targets: ["Runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // No default traits: they make Hummingbird import full Foundation (and ICU) and
        // swift-configuration, which swap-server does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The activity history's SQLite file (`store.path`), on the system's libsqlite3.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CInotifyTools",
            providers: [.apt(["libinotifytools0-dev"])]
        ),
        .target(
            name: "ConfigLang",
            dependencies: ["CLibYAML"],
            exclude: ["README.md"]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "ConfigLang",
                "CInotifyTools",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // /metrics uses swift-prometheus' registry API directly, which gives each
                // family the HELP text `promtool check metrics` asks for (swift-metrics' API
                // has none); CoreMetrics, which the registry's types implement, pins
                // swift-metrics at 2.13.0 or later.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["UI/web", "UI/README.md"],
            plugins: ["EmbedUI"]
        ),
        // The web UI goes into swap-server as string literals generated at build time:
        // SwiftPM resources need full Foundation's `Bundle` and a folder beside the binary
        // that scripts/install.sh does not install.
        .plugin(name: "EmbedUI", capability: .buildTool(), dependencies: ["ui-embedder"]),
        .executableTarget(name: "ui-embedder"),
        // The git commit and build time `/api/version` and `swap_build_info` report,
        // generated at build time: SwiftPM passes a package no build metadata.
        .plugin(name: "StampBuild", capability: .buildTool(), dependencies: ["build-stamp"]),
        .executableTarget(name: "build-stamp"),
        .target(
            name: "SwapLintCLI",
            dependencies: ["ConfigLang"]
        ),
        .executableTarget(
            name: "swap-lint",
            dependencies: ["ConfigLang", "SwapLintCLI"],
            // swap-lint runs in pre-commit hooks and editors, where process start is a large
            // part of a check. It links no Foundation and parses its command line itself, and on
            // Linux it is one static executable (Swift runtime, libyaml.a, glibc): nothing for the
            // dynamic loader to load or bind, so it starts in about 1 ms (Benchmarks/lint.md).
            // The linker's warning about `dlopen` in libswiftCore (its optional lookup of a
            // prespecialised-metadata library) is expected.
            linkerSettings: [
                .unsafeFlags(["-static-executable"], .when(platforms: [.linux]))
            ]
        ),
        .executableTarget(
            name: "swap-server",
            dependencies: [
                "Runtime",
                "ConfigLang",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Linked for a small resident set at idle (Benchmarks/README.md):
            // - the Swift runtime and Foundation linked in, so no Swift shared libraries are
            //   mapped; the static Foundation (GRDB imports it) needs its helper libraries named;
            // - lld with packed relative relocations (`DT_RELR`, glibc 2.36+), so the loader
            //   reads a compact table at start instead of one entry per pointer;
            // - `--no-export-dynamic`: nothing loads swap-server as a library, so it carries no
            //   table of its symbols for the loader to page in.
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-static-stdlib", "-Xlinker", "-lCoreFoundation", "-Xlinker",
                        "-lFoundationInternationalization",
                        "-Xlinker", "-l_FoundationICU", "-Xlinker", "-l_FoundationCollections", "-Xlinker",
                        "-l_FoundationCShims",
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xlinker", "--no-export-dynamic",
                    ],
                    .when(platforms: [.linux]))
            ],
            plugins: ["StampBuild"]
        ),
        .executableTarget(
            name: "fake-backend",
            dependencies: [
                "ConfigLang",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "swap-bench",
            dependencies: [
                "SwapTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .testTarget(
            name: "ConfigLangTests",
            dependencies: ["ConfigLang", "SwapTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .target(
            name: "SwapTestSupport",
            dependencies: [
                "ConfigLang",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Tests/SwapTestSupport"
        ),
        .testTarget(
            name: "SwapLintCLITests",
            dependencies: [
                "SwapLintCLI",
                "ConfigLang",
                "SwapTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime",
                "ConfigLang",
                "SwapTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .testTarget(
            name: "DeployTests",
            dependencies: [
                "SwapTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .testTarget(
            name: "UITests",
            dependencies: [
                "SwapTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SwapTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
