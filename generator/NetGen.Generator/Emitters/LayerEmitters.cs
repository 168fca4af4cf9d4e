using System;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emitters;

/// <summary>The one place that maps a layer kind to its emitter.</summary>
internal static class LayerEmitters
{
    public static ILayerEmitter For(LayerSpec layer) => layer switch
    {
        DenseLayerSpec => DenseEmitter.Instance,
        _ => throw new NotSupportedException($"No emitter for {layer.GetType().Name}."),
    };
}
