import TMDLFormat

/// CONV2D and DWCONV2D: weights, bias and (int8) per-channel scales as arrays, one
/// parameter struct, one kernel call.
enum ConvolutionEmitter {
    static func emit(_ conv: Convolution, depthMultiplier: Int?, _ context: LayerContext) throws(CodegenError)
        -> EmittedLayer
    {
        let layer = context.layer
        let name = context.name
        let input = layer.inputShape, output = layer.outputShape
        let depthwise = depthMultiplier != nil
        let kernel = depthwise ? "dwconv2d" : "conv2d"
        let suffix = context.isInt8 ? "s8" : "f32"
        var fields: [(String, String)] = [
            ("in_h", "\(input.height)"), ("in_w", "\(input.width)"), ("in_c", "\(input.channels)"),
            ("out_h", "\(output.height)"), ("out_w", "\(output.width)"), ("out_c", "\(output.channels)"),
            ("k_h", "\(conv.kernelHeight)"), ("k_w", "\(conv.kernelWidth)"),
            ("stride_h", "\(conv.strideHeight)"), ("stride_w", "\(conv.strideWidth)"),
            ("dil_h", "\(conv.dilationHeight)"), ("dil_w", "\(conv.dilationWidth)"),
            ("pad_top", "\(conv.padding.top)"), ("pad_left", "\(conv.padding.left)"),
        ]
        if let depthMultiplier { fields.append(("depth_mul", "\(depthMultiplier)")) }
        // int8 layers read in_zp for padded taps; their activation is part of the profile's output stage.
        fields.append(
            context.isInt8
                ? ("in_zp", "\(layer.inputQuantization.zeroPoint)") : ("act", activationConstant(conv.activation)))
        let band = Band(conv, input: input, output: output)
        // A CONV2D output pixel's window: the values its dot products run over.
        let window = conv.kernelHeight * conv.kernelWidth * input.channels
        let hasMinus128Weight = (conv.weights.int8Values ?? []).contains(Int8.min)
        // One input channel: the arch's own path where it has one.
        let oneChannel = context.arch.oneChannelPath.flatMap { path in
            context.isInt8 && !depthwise && path.accepts(conv, input: input, output: output, band: band) ? path : nil
        }
        // Two output pixels at once where the arch has a two-pixel dot: undilated windows it takes,
        // whole blocks of four channels, rows of more than one pixel (an odd last one goes with itself).
        let twoPixelDot = context.arch.twoPixelDot.flatMap { dot in
            context.isInt8 && !depthwise && conv.dilationWidth == 1 && output.channels % 4 == 0 && output.width >= 2
                && dot.accepts(window: window, channels: output.channels, hasMinus128Weight: hasMinus128Weight)
                && oneChannel?.replacesBand != true
                ? dot : nil
        }
        if context.isInt8, !depthwise {
            fields += [
                ("band_w", "\(band.width)"), ("in_place", band.inPlace ? "1" : "0"),
                // 2: two taps' products may be summed in int16 (the lanes; the tap pairs sum in int32).
                ("one_channel", oneChannel == nil ? "0" : hasMinus128Weight ? "1" : "2"),
                ("two_pixels", twoPixelDot == nil ? "0" : "1"),
            ]
        }

        var emitted = EmittedLayer()
        let weightType = context.isInt8 ? "int8_t" : "float"
        var weights = conv.weights
        if context.isInt8, !depthwise, case .int8(let stored) = conv.weights {
            let ordered = columnMajorWindows(
                stored, shape: (output.channels, input.channels, conv.kernelHeight, conv.kernelWidth))
            // The kernel's dot products run over whole windows, or kernel columns when dilated.
            let run = conv.dilationWidth == 1 ? window : window / conv.kernelWidth
            let padded = twoPixelDot.flatMap { $0.padsWeights ? $0.span(window: window) : nil }
            let packed = WeightPacking.blocksOfFour(
                ordered, channels: output.channels, window: window, run: run,
                interleavedByWords: context.arch.interleavesDot4Weights && oneChannel?.replacesBand != true,
                paddedTo: padded)
            weights = .int8(packed + Array(repeating: 0, count: twoPixelDot?.weightTail(window: window) ?? 0))
        }
        if !depthwise, case .float32(let stored) = conv.weights {
            weights = .float32(WeightPacking.interleavedChannels(stored, channels: output.channels, window: window))
        }
        if depthMultiplier == 1 {
            // [c][kh][kw] -> [kh][kw][c]: a tap's weights for all channels become contiguous.
            let taps = conv.kernelHeight * conv.kernelWidth
            switch conv.weights {
            case .int8(let stored): weights = .int8(channelsLast(stored, channels: output.channels, taps: taps))
            case .float32(let stored): weights = .float32(channelsLast(stored, channels: output.channels, taps: taps))
            default: break
            }
            fields = fields.filter { !["in_c", "out_c", "depth_mul"].contains($0.0) }
            fields.insert(("channels", "\(output.channels)"), at: 2)
            if context.isInt8 && context.arch.pairsDepthwiseTaps {
                // Two taps' products summed in int16: only without a -128 weight.
                let pairs = ("paired", hasMinus128Weight ? "0" : "1")
                fields.insert(pairs, at: fields.firstIndex { $0.0 == "in_zp" } ?? fields.endIndex)
            }
        }
        if case .float32(let values) = conv.weights { try context.refuseNonFinite(values, "weights") }
        if case .float32(let values) = conv.bias { try context.refuseNonFinite(values, "biases") }
        emitted.constants.append(CFormat.constantArray(type: weightType, name: "\(name)_weights", weights.cLiterals))
        emitted.constants.append(
            CFormat.constantArray(type: context.isInt8 ? "int32_t" : "float", name: "\(name)_bias", conv.bias.cLiterals))
        fields += [("weights", "\(name)_weights"), ("bias", "\(name)_bias")]
        if !context.isInt8, !depthwise {
            // Where each value of a window lies from its first input, in the sum's order (input channel,
            // kernel row, kernel column); then, where the kernel gathers windows, 0, 1, 2, ...
            var offsets: [Int] = []
            for channel in 0..<input.channels {
                for row in 0..<conv.kernelHeight {
                    for column in 0..<conv.kernelWidth {
                        offsets.append(
                            (row * conv.dilationHeight * input.width + column * conv.dilationWidth) * input.channels
                                + channel)
                    }
                }
            }
            if !conv.padding.isZero { offsets += Array(0..<window) }
            emitted.constants.append(
                CFormat.constantArray(type: "int32_t", name: "\(name)_offsets", offsets.map { "\($0)" }))
            fields.append(("offsets", "\(name)_offsets"))
        }
        if context.isInt8 {
            let stage = try OutputStage.convolution(conv, context)
            emitted.constants += stage.constants
            fields += stage.fields
            emitted.kernels.insert(stage.kernel)
        }
        try checkNarrowFields(fields, context)
        let structName = depthMultiplier == 1 ? "\(kernel)_hwc_\(suffix)_layer" : "\(kernel)_\(suffix)_layer"
        emitted.constants.append(CFormat.parameterStruct(type: structName, name: name, fields))
        let unrolled = conv.kernelHeight == 3 && conv.kernelWidth == 3 && conv.dilationHeight == 1
            && conv.dilationWidth == 1
        if depthMultiplier == 1 && context.isInt8 && context.arch.runsDepthwiseInPlanes && unrolled
            && conv.strideHeight == 1 && conv.strideWidth == 1 && !context.runsInPlace
            && output.height * output.width >= Arch.depthwisePlaneMinimumPixels
        {
            // Channel by channel over three int16 rows on the stack (out_w + 2 values each).
            emitted.scratchHalves = 3 * (output.width + 2)
            emitted.kernels.insert(.dwconv2dHWCS8Planes)
            emitted.statements = [
                "\(kernel)_hwc_\(suffix)_planes(&\(name), \(context.inputs[0]), \(context.output), scratch16);"
            ]
        } else if depthMultiplier == 1 && context.isInt8 {
            // Blocks of channels, their sums in registers, over a list of the pixel's taps on the stack, then a
            // row of in_zp that padded taps read.
            emitted.scratchWords = 2 * conv.kernelHeight * conv.kernelWidth + (output.channels + 3) / 4
            // The tap list is compiled in only for models with a layer the 3x3 path cannot take whole
            // (8: a multiple of every arch's ARCH_MAC_BLOCK).
            if !unrolled || output.channels % 8 != 0 { emitted.kernels.insert(.dwconv2dHWCS8TapList) }
            emitted.statements = ["\(kernel)_hwc_\(suffix)(&\(name), \(context.inputs[0]), \(context.output), scratch);"]
        } else if depthMultiplier == 1 {
            // All channels of a pixel at once, over an accumulator row on the stack.
            emitted.scratchWords = output.channels
            emitted.statements = ["\(kernel)_hwc_\(suffix)(&\(name), \(context.inputs[0]), \(context.output), scratch);"]
        } else if !depthwise && context.isInt8 {
            // One band of input rows, unless read in place (or replaced by the one-channel path); bytes:
            // a character type may alias the int32 scratch.
            let replacesBand = oneChannel?.replacesBand == true
            let bandWords = band.inPlace || replacesBand ? 0 : (band.width * conv.kernelHeight * input.channels + 3) / 4
            let rows = bandWords == 0 ? "(int8_t *)0" : "(int8_t *)(void *)scratch"
            // Then int32 words (`words`) and int16 values (`halves`): where two pixels go at once, both windows
            // as the arch lays them out (in parts: after the sums); the one-channel path's own, in builds
            // that take it.
            let pairScratch = twoPixelDot?.scratch(window: window, channels: output.channels) ?? .none
            let oneChannelScratch = oneChannel?.scratch(conv, output: output, band: band) ?? .none
            let words = max(pairScratch.words, oneChannelScratch.words)
            emitted.scratchWords = bandWords + words
            emitted.scratchHalves = max(pairScratch.halves, oneChannelScratch.halves)
            let wordsArgument = words == 0 ? "(int32_t *)0" : bandWords == 0 ? "scratch" : "scratch + \(bandWords)"
            let halvesArgument = emitted.scratchHalves == 0 ? "(int16_t *)0" : "scratch16"
            if let twoPixelDot {
                emitted.kernels.insert(twoPixelDot.goesInParts(window: window) ? .conv2dS8Parts : .archPairs)
            }
            if oneChannel != nil { emitted.kernels.insert(.archLanes) }
            // conv2d_s8's loops this layer runs (the one-channel path returns before them).
            if oneChannel == nil && twoPixelDot == nil { emitted.kernels.insert(.conv2dS8OnePixel) }
            if conv.dilationWidth != 1 { emitted.kernels.insert(.conv2dS8Dilated) }
            if output.channels % 4 != 0 { emitted.kernels.insert(.conv2dS8ChannelTail) }
            emitted.statements = [
                "\(kernel)_\(suffix)(&\(name), \(context.inputs[0]), \(context.output), \(rows), \(wordsArgument), "
                    + "\(halvesArgument));"
            ]
        } else if !depthwise {
            // Two gathered windows, for pixel pairs that reach the padding; then, where the layer runs over
            // its input and a pixel's channels take more than one pass, a pair's staged outputs.
            let padded = !conv.padding.isZero
            let stages = context.runsInPlace && WeightPacking.floatChannelPasses(channels: output.channels).count > 1
            let windowWords = padded ? 2 * window : 0
            emitted.scratchWords = windowWords + (stages ? 2 * output.channels : 0)
            let windows = padded ? "scratch" : "(float *)0"
            let stage = stages ? (padded ? "scratch + \(windowWords)" : "scratch") : "(float *)0"
            emitted.statements = [
                "\(kernel)_\(suffix)(&\(name), \(context.inputs[0]), \(context.output), \(windows), \(stage));"
            ]
        } else {
            emitted.statements = ["\(kernel)_\(suffix)(&\(name), \(context.inputs[0]), \(context.output));"]
        }
        if !emitted.kernels.contains(.dwconv2dHWCS8Planes) {
            emitted.kernels.insert(
                depthMultiplier == 1
                    ? (context.isInt8 ? .dwconv2dHWCS8 : .dwconv2dHWCF32)
                    : kernelFor(depthwise: depthwise, int8: context.isInt8))
        }
        return emitted
    }

    /// The range of each struct field narrower than 32 bits, as the kernels' structs declare it: dims in
    /// uint16_t and kernel geometry in uint8_t, as the file holds them (less flash); flags in uint8_t.
    static let narrowFields: [String: ClosedRange<Int>] = {
        var ranges: [String: ClosedRange<Int>] = [:]
        for field in ["in_h", "in_w", "in_c", "channels", "out_h", "out_w", "out_c", "band_w", "depth_mul"] {
            ranges[field] = 0...Int(UInt16.max)
        }
        for field in ["k_h", "k_w", "stride_h", "stride_w", "dil_h", "dil_w", "pad_top", "pad_left",
                      "in_place", "one_channel", "two_pixels", "paired"] {
            ranges[field] = 0...Int(UInt8.max)
        }
        ranges["in_zp"] = Int(Int16.min)...Int(Int16.max)
        return ranges
    }()

    /// The file's dims and geometry fit their fields; a derived field (the band) or a zero point might not.
    static func checkNarrowFields(_ fields: [(String, String)], _ context: LayerContext) throws(CodegenError) {
        for (field, value) in fields {
            guard let range = narrowFields[field] else { continue }
            guard let number = Int(value), range.contains(number) else {
                throw .unsupportedModel(
                    "layer \(context.index) (\(context.layer.kind)): \(field) = \(value) does not fit the kernel's "
                        + "field (\(range.lowerBound)...\(range.upperBound))")
            }
        }
    }

    static func kernelFor(depthwise: Bool, int8: Bool) -> Kernel {
        switch (depthwise, int8) {
        case (false, true): return .conv2dS8
        case (true, true): return .dwconv2dS8
        case (false, false): return .conv2dF32
        case (true, false): return .dwconv2dF32
        }
    }

    static func activationConstant(_ activation: Activation) -> String {
        switch activation {
        case .relu: return "ACT_RELU"
        case .relu6: return "ACT_RELU6"
        default: return "ACT_NONE"  // others were refused with the reference's check
        }
    }

    /// [c][taps] -> [taps][c].
    static func channelsLast<T>(_ weights: [T], channels: Int, taps: Int) -> [T] {
        (0..<taps * channels).map { weights[($0 % channels) * taps + $0 / channels] }
    }

    /// [cho][chi][kh][kw] -> [cho][kw][kh][chi]: the order of a window in the int8 kernel's band.
    static func columnMajorWindows(_ weights: [Int8], shape: (out: Int, in: Int, h: Int, w: Int)) -> [Int8] {
        var result = [Int8](repeating: 0, count: weights.count)
        for co in 0..<shape.out {
            for ci in 0..<shape.in {
                for ky in 0..<shape.h {
                    for kx in 0..<shape.w {
                        result[((co * shape.w + kx) * shape.h + ky) * shape.in + ci] =
                            weights[((co * shape.in + ci) * shape.h + ky) * shape.w + kx]
                    }
                }
            }
        }
        return result
    }
}

/// The int8 CONV2D kernel's band: the input columns one output row reads (kernel rows laid
/// out column by column), and whether the input rows themselves can serve as the band.
struct Band {
    /// Columns from input column -pad_left to the last one the rightmost window reads.
    let width: Int
    /// A 1x1 kernel without padding whose columns all lie in the input reads rows in place.
    let inPlace: Bool

    init(_ conv: Convolution, input: Shape, output: Shape) {
        width = (output.width - 1) * conv.strideWidth + (conv.kernelWidth - 1) * conv.dilationWidth + 1
        inPlace =
            conv.kernelHeight == 1 && conv.padding.top == 0 && conv.padding.left == 0 && width <= input.width
            && (output.height - 1) * conv.strideHeight < input.height
    }
}
