// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swap-lint", targets: ["swap-lint"]),
        .library(name: "ConfigLang", targets: ["ConfigLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
            dependencies: ["CLibYAML"]
        ),
        .target(
            name: "Runtime",
            dependencies: ["ConfigLang", "CInotifyTools"]
        ),
        .executableTarget(
            name: "swap-lint",
            dependencies: [
                "ConfigLang",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ConfigLangTests",
            dependencies: ["ConfigLang"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
