/// The C building blocks in `Templates/`: each is one file, emitted once, after the
/// blocks it depends on, and only when a layer of the model uses it.
enum Kernel: String, CaseIterable, Comparable {
    // The arch's preamble (its intrinsics header and helpers): the output stages may use it.
    case archBase = "arch/ARCH_base.c"
    // Arch primitives (one file each per arch: ARCH is the arch's name), before the output stages,
    // which may have forms for the shapes they take (ARCH_MAC_WIDE, ARCH_DOT4X2_S8).
    case archDot = "arch/ARCH_dot.c"
    case archPairs = "arch/ARCH_pairs.c"  // the two-pixel dot, for layers that take it
    case archLanes = "arch/ARCH_lanes.c"  // the path for layers of one input channel (OneChannelPath)
    case archMac = "arch/ARCH_mac.c"
    // The tinymaix profile's float steps.
    case saturate = "tinymaix/saturate.c"
    case saturateInteger = "tinymaix/saturate_s32.c"
    case activation = "kernels/activation.c"
    case requantTinymaix = "tinymaix/requant.c"
    case requantFCTinymaix = "tinymaix/requant_fc.c"
    case requantTinymaixBounded = "tinymaix/requant_bounded.c"
    case requantTinymaixSaturated = "tinymaix/requant_saturated.c"
    case requantFCTinymaixBounded = "tinymaix/requant_fc_bounded.c"
    // The integer profile's fixed-point steps.
    case fixedPoint = "integer/fixed_point.c"
    case multiplyByQuantizedMultiplier = "integer/mbqm.c"
    case requantInteger = "integer/requant.c"
    case requantFCInteger = "integer/requant_fc.c"
    // Shared helpers.
    case window = "kernels/window.c"
    case dotF32 = "kernels/dot_f32.c"
    case dotBlocksF32 = "kernels/dot_blocks_f32.c"
    // The reference's (float)exp((double)d); in integers where the arch's cores lack a double FPU.
    case exp = "kernels/exp_f32.c"
    // int8 loops; their output stage (struct requant_s8 / requant_fc_s8) comes from the profile.
    case conv2dS8Parts = "kernels/conv2d_s8_parts.c"  // the two-pixel dot over windows in parts
    // conv2d_s8's loops that only some models need: one pixel at a time, and in that loop dilated
    // kernel columns and channels past the last block of four.
    case conv2dS8OnePixel = "kernels/conv2d_s8_one_pixel.c"
    case conv2dS8Dilated = "kernels/conv2d_s8_dilated.c"
    case conv2dS8ChannelTail = "kernels/conv2d_s8_channel_tail.c"
    case conv2dS8 = "kernels/conv2d_s8.c"
    case dwconv2dS8 = "kernels/dwconv2d_s8.c"
    case dwconv2dHWCS8TapList = "kernels/dwconv2d_hwc_s8_tap_list.c"
    case dwconv2dHWCS8Layer = "kernels/dwconv2d_hwc_s8_layer.c"
    case dwconv2dHWCS8 = "kernels/dwconv2d_hwc_s8.c"
    case dwconv2dHWCS8Planes = "kernels/dwconv2d_hwc_s8_planes.c"  // channel by channel (Arch.runsDepthwiseInPlanes)
    case fcS8 = "kernels/fc_s8.c"
    // int8 layers whose whole arithmetic differs between the profiles.
    case gapS8Tinymaix = "tinymaix/gap_s8.c"
    case softmaxS8Tinymaix = "tinymaix/softmax_s8.c"
    case addS8Tinymaix = "tinymaix/add_s8.c"
    case gapS8Integer = "integer/gap_s8.c"
    case softmaxS8Integer = "integer/softmax_s8.c"
    case addS8Integer = "integer/add_s8.c"
    // fp32.
    case conv2dF32 = "kernels/conv2d_f32.c"
    case dwconv2dF32 = "kernels/dwconv2d_f32.c"
    case dwconv2dHWCF32 = "kernels/dwconv2d_hwc_f32.c"
    case fcF32 = "kernels/fc_f32.c"
    case gapF32 = "kernels/gap_f32.c"
    case softmaxF32 = "kernels/softmax_f32.c"
    case addF32 = "kernels/add_f32.c"

    var dependencies: [Kernel] {
        switch self {
        case .saturate, .activation, .fixedPoint, .archBase, .window, .dotF32, .dotBlocksF32, .exp,
            .dwconv2dHWCS8TapList, .dwconv2dHWCS8Layer, .conv2dS8OnePixel, .conv2dS8Dilated,
            .conv2dS8ChannelTail:
            return []
        // The arch's saturation and four-lane output stage, where it has them.
        case .archDot, .archMac, .archLanes, .saturateInteger, .requantTinymaixBounded: return [.archBase]
        case .archPairs: return [.archDot]
        case .requantTinymaixSaturated, .requantFCTinymaixBounded: return [.saturateInteger]
        case .requantTinymaix: return [.saturate, .activation]
        case .requantFCTinymaix, .gapS8Tinymaix, .addS8Tinymaix: return [.saturate]
        case .softmaxS8Tinymaix: return [.saturate, .exp]
        case .multiplyByQuantizedMultiplier, .softmaxS8Integer, .addS8Integer: return [.fixedPoint]
        case .requantInteger, .requantFCInteger, .gapS8Integer: return [.multiplyByQuantizedMultiplier]
        case .conv2dS8Parts: return [.archPairs]
        case .conv2dS8: return [.archDot]  // and memcpy/memset from <string.h>
        case .dwconv2dS8: return [.window]
        case .dwconv2dHWCS8: return [.dwconv2dHWCS8Layer, .archMac]
        case .dwconv2dHWCS8Planes: return [.dwconv2dHWCS8Layer, .archBase]  // arch_tap_pair: armdsp_base.c
        case .fcS8: return [.archDot]
        case .conv2dF32: return [.activation, .dotBlocksF32, .window]
        case .dwconv2dF32: return [.activation, .window]
        case .dwconv2dHWCF32: return [.activation, .window]
        case .fcF32: return [.dotF32]
        case .gapF32, .addF32: return []
        case .softmaxF32: return [.exp]
        }
    }

    /// Whether the kernel calls `exp` from <math.h> (the integer form too, near float midpoints).
    var needsMath: Bool { self == .exp }

    /// Declaration order: the catalogue order above puts dependencies first.
    static func < (a: Kernel, b: Kernel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The template that implements the kernel for `arch`.
    func templatePath(for arch: Arch) -> String {
        switch (self, arch) {
        // The P extension has no 8-bit multiply into separate 32-bit sums: the portable loop it is.
        case (.archMac, .rv32p): return "arch/cpu_mac.c"
        // Cortex-M4 and M33 have a single-precision FPU at most: the C library's double exp is software.
        case (.exp, .armdsp): return "kernels/exp_f32_integer.c"
        case (.archBase, _), (.archDot, _), (.archPairs, _), (.archLanes, _), (.archMac, _):
            return rawValue.replacingOccurrences(of: "ARCH", with: arch.rawValue)
        default: return rawValue
        }
    }

    func source(for arch: Arch) -> String {
        let path = templatePath(for: arch)
        guard let text = EmbeddedTemplates.files[path] else {
            preconditionFailure("template \(path) is not embedded: run make templates")
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
