namespace NetGen;

/// <summary>What a layer of a generated network computes; see <see cref="LayerInfo"/>.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer: z = x·W + b, then its activation.</summary>
    Dense,
}
