/// The C building blocks in `Templates/`: each is one file, emitted once, after the
/// blocks it depends on, and only when a layer of the model uses it.
enum Kernel: String, CaseIterable, Comparable {
    case saturate = "kernels/saturate.c"
    case activation = "kernels/activation.c"
    case requantize = "kernels/requantize.c"
    case archDot = "arch/cpu_dot.c"
    case archMac = "arch/cpu_mac.c"
    case window = "kernels/window.c"
    case dotF32 = "kernels/dot_f32.c"
    case dot4F32 = "kernels/dot4_f32.c"
    case conv2dS8 = "kernels/conv2d_s8.c"
    case dwconv2dS8 = "kernels/dwconv2d_s8.c"
    case dwconv2dHWCS8 = "kernels/dwconv2d_hwc_s8.c"
    case fcS8 = "kernels/fc_s8.c"
    case gapS8 = "kernels/gap_s8.c"
    case softmaxS8 = "kernels/softmax_s8.c"
    case addS8 = "kernels/add_s8.c"
    case conv2dF32 = "kernels/conv2d_f32.c"
    case dwconv2dF32 = "kernels/dwconv2d_f32.c"
    case dwconv2dHWCF32 = "kernels/dwconv2d_hwc_f32.c"
    case fcF32 = "kernels/fc_f32.c"
    case gapF32 = "kernels/gap_f32.c"
    case softmaxF32 = "kernels/softmax_f32.c"
    case addF32 = "kernels/add_f32.c"

    var dependencies: [Kernel] {
        switch self {
        case .saturate, .activation, .archDot, .archMac, .window, .dotF32, .dot4F32: return []
        case .requantize: return [.saturate, .activation]
        case .conv2dS8: return [.requantize, .archDot, .window]  // and memcpy/memset from <string.h>
        case .dwconv2dS8: return [.requantize, .window]
        case .dwconv2dHWCS8: return [.requantize, .window, .archMac]
        case .fcS8: return [.saturate, .archDot]
        case .gapS8, .softmaxS8, .addS8: return [.saturate]
        case .conv2dF32: return [.activation, .dotF32, .dot4F32, .window]
        case .dwconv2dF32: return [.activation, .window]
        case .dwconv2dHWCF32: return [.activation, .window]
        case .fcF32: return [.dotF32]
        case .gapF32, .softmaxF32, .addF32: return []
        }
    }

    /// Whether the kernel calls `exp` from <math.h>.
    var needsMath: Bool { self == .softmaxS8 || self == .softmaxF32 }

    /// Declaration order: the catalogue order above puts dependencies first.
    static func < (a: Kernel, b: Kernel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    var source: String {
        guard let text = EmbeddedTemplates.files[rawValue] else {
            preconditionFailure("template \(rawValue) is not embedded: run make templates")
        }
        return text
    }

    /// The kernels needed, with everything they depend on, in declaration order.
    static func closure(of kernels: Set<Kernel>) -> [Kernel] {
        var all = kernels
        var frontier = Array(kernels)
        while let next = frontier.popLast() {
            for dependency in next.dependencies where all.insert(dependency).inserted {
                frontier.append(dependency)
            }
        }
        return all.sorted()
    }
}
