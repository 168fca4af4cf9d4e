namespace NetGen;

/// <summary>What a layer of a generated network computes; see <see cref="LayerInfo"/>.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer: z = x·W + b, then its activation. An image-shaped input is flattened in (C, H, W) order.</summary>
    Dense,

    /// <summary>A 2-D convolution: each filter's weighted sum over a window of every input channel, plus its bias, then the activation.</summary>
    Conv2D,

    /// <summary>The largest value of each window of each channel.</summary>
    MaxPool2D,

    /// <summary>The mean of each window of each channel.</summary>
    AvgPool2D,

    /// <summary>Inverted dropout in training mode, the identity in evaluation mode.</summary>
    Dropout,
}
