import TMDLFormat

/// SOFTMAX: one parameter struct, one call (over the channels of each pixel, "rows").
enum SoftmaxEmitter {
    static func emit(_ context: LayerContext) throws(CodegenError) -> EmittedLayer {
        PerChannelEmitter.emit(kernel: "softmax", countField: "rows", context, int8: .softmaxS8, float: .softmaxF32)
    }
}
