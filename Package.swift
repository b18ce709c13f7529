// swift-tools-version: 6.0
// The package is laid out as the pipeline: each folder under Sources is one stage,
// and each stage depends only on the stages before it.
//   Format (bytes <-> Model) -> Reference (what a model computes) -> ... -> CLI
import PackageDescription

let package = Package(
    name: "tmdl-codegen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tmdl-codegen", targets: ["tmdl-codegen"]),
        .library(name: "TMDLFormat", targets: ["TMDLFormat"]),
        .library(name: "TMDLReference", targets: ["TMDLReference"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TMDLFormat", path: "Sources/Format"),
        .target(name: "TMDLReference", dependencies: ["TMDLFormat"], path: "Sources/Reference"),
        .target(name: "TMDLPlan", dependencies: ["TMDLFormat"], path: "Sources/Plan"),
        .target(
            name: "TMDLEmit", dependencies: ["TMDLFormat", "TMDLReference", "TMDLPlan"], path: "Sources/Emit"),
        // libtcc (Debian's libtcc-dev, installed by make deps): a static library, linked into executables.
        .systemLibrary(name: "CTCC", path: "Sources/CTCC"),
        .target(name: "TMDLJIT", dependencies: ["CTCC"], path: "Sources/JIT"),
        .target(
            name: "TMDLVerify", dependencies: ["TMDLFormat", "TMDLReference", "TMDLEmit", "TMDLJIT"], path: "Sources/Verify"),
        .executableTarget(
            name: "tmdl-codegen",
            dependencies: [
                "TMDLFormat", "TMDLReference", "TMDLPlan", "TMDLEmit", "TMDLVerify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI"
        ),
        // Cross compilers and QEMU for firmware tests and benchmarks (no test framework: the benchmark links it).
        .target(name: "EmulationSupport", dependencies: ["TMDLEmit"], path: "Tests/EmulationSupport"),
        .executableTarget(
            name: "tmdl-bench", dependencies: ["TMDLFormat", "TMDLReference", "TMDLEmit", "TMDLJIT", "EmulationSupport"],
            path: "Tests/Benchmarks"),
        .target(
            name: "TestSupport", dependencies: ["TMDLFormat", "TMDLReference", "EmulationSupport"], path: "Tests/TestSupport"),
        .testTarget(name: "FormatTests", dependencies: ["TMDLFormat", "TestSupport"], path: "Tests/FormatTests"),
        .testTarget(name: "PlanTests", dependencies: ["TMDLPlan", "TestSupport"], path: "Tests/PlanTests"),
        .testTarget(
            name: "CodegenTests", dependencies: ["TMDLEmit", "TMDLVerify", "TestSupport", "EmulationSupport"],
            path: "Tests/CodegenTests"),
        .testTarget(
            name: "ReferenceTests", dependencies: ["TMDLReference", "TestSupport"], path: "Tests/ReferenceTests"),
        // Depends on the executable so that it is built before its tests run.
        .testTarget(name: "CLITests", dependencies: ["tmdl-codegen", "TestSupport"], path: "Tests/CLITests"),
    ]
)
