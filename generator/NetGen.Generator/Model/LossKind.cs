namespace NetGen.Generator.Model;

/// <summary>Mirrors <c>NetGen.Loss</c> value for value.</summary>
internal enum LossKind
{
    MeanSquaredError,
    BinaryCrossEntropy,
    CrossEntropy,
}
