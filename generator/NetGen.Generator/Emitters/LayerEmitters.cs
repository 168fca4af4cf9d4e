using System;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emitters;

/// <summary>The one place that maps a layer kind to its emitter.</summary>
internal static class LayerEmitters
{
    public static ILayerEmitter For(LayerSpec layer) => layer switch
    {
        DenseLayerSpec => DenseEmitter.Instance,
        Conv2DLayerSpec => ConvolutionEmitter.Instance,
        Pool2DLayerSpec => PoolingEmitter.Instance,
        DropoutLayerSpec => DropoutEmitter.Instance,
        _ => throw new NotSupportedException($"No emitter for {layer.GetType().Name}."),
    };
}
