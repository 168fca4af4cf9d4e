using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The part of validation that needs shapes: walks the layers from the input, gives each the shape it reads and
    /// writes, and reports the first layer whose window, stride or place cannot work with the shape it receives.
    /// </summary>
    internal static class Shapes
    {
        /// <summary>The layer specs in order, or null after reporting why a layer cannot take the shape it receives.</summary>
        public static LayerSpec[]? Build(NetworkDeclaration declaration, List<LayerDeclaration> body, List<DiagnosticInfo> diagnostics, out TensorShape input)
        {
            LayerDeclaration inputDeclaration = declaration.Layers.First(layer => layer.IsInput);
            input = default;
            if (!FitsElements(declaration, (long)inputDeclaration.Size * inputDeclaration.Height * inputDeclaration.Width, diagnostics))
            {
                return null;
            }

            input = new TensorShape(inputDeclaration.Size, inputDeclaration.Height, inputDeclaration.Width);

            // Whether the tensor still has its height and width: an image input until a Dense layer or [Flatten].
            bool isImage = inputDeclaration.IsImageInput;

            // Whether the values still have an image's shape for the PyTorch twin: after [Flatten] they do, but only a
            // Dense layer may follow, and it still flattens them.
            bool hasImageShape = isImage;
            string flattenedBy = "the vector input";
            var layers = new List<LayerSpec>();
            TensorShape shape = input;
            foreach (LayerDeclaration layer in body)
            {
                int number = layers.Count + 1;
                if (layer.Kind is DeclaredKind.Conv2D or DeclaredKind.MaxPool2D or DeclaredKind.AvgPool2D && !isImage)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.SpatialLayerAfterFlat, layer.Attribute, layer.Kind.ToString(), Validator.Describe(number), flattenedBy));
                    return null;
                }

                LayerSpec? spec = layer.Kind switch
                {
                    DeclaredKind.Dense => new DenseLayerSpec(number, shape, TensorShape.Vector(layer.Size), (ActivationKind)layer.Activation, FlattensImage: hasImageShape),
                    DeclaredKind.Conv2D => Convolution(declaration, layer, number, shape, diagnostics),
                    DeclaredKind.MaxPool2D or DeclaredKind.AvgPool2D => Pool(declaration, layer, number, shape, diagnostics),
                    DeclaredKind.Dropout => new DropoutLayerSpec(number, shape, layer.Rate ?? 0),
                    _ => null,
                };

                if (layer.Kind == DeclaredKind.Flatten)
                {
                    // Values are stored in (C, H, W) order already: a flatten only ends the image.
                    isImage = false;
                    flattenedBy = "the output of [Flatten]";
                    continue;
                }

                if (spec is null)
                {
                    return null;
                }

                if (layer.Kind == DeclaredKind.Dense)
                {
                    isImage = false;
                    hasImageShape = false;
                    flattenedBy = $"the output of Dense layer {number}";
                }

                layers.Add(spec);
                shape = spec.Output;
            }

            return layers.ToArray();
        }

        private static LayerSpec? Convolution(NetworkDeclaration declaration, LayerDeclaration layer, int number, TensorShape shape, List<DiagnosticInfo> diagnostics)
        {
            int stride = layer.Stride == 0 ? 1 : layer.Stride;
            if (!Fits(layer, number, shape, "kernel", layer.KernelSize, stride, layer.Padding, layer.SecondArgument, diagnostics))
            {
                return null;
            }

            long height = (shape.Height + 2L * layer.Padding - layer.KernelSize) / stride + 1;
            long width = (shape.Width + 2L * layer.Padding - layer.KernelSize) / stride + 1;
            // The output and the weights must fit an int before a spec can hold them; the whole network's size is judged after.
            if (!FitsElements(declaration, layer.Size * height * width, diagnostics)
                || !FitsElements(declaration, (long)layer.Size * shape.Channels * layer.KernelSize * layer.KernelSize, diagnostics))
            {
                return null;
            }

            var output = new TensorShape(layer.Size, (int)height, (int)width);
            return new Conv2DLayerSpec(number, shape, output, (ActivationKind)layer.Activation, layer.KernelSize, stride, layer.Padding);
        }

        private static LayerSpec? Pool(NetworkDeclaration declaration, LayerDeclaration layer, int number, TensorShape shape, List<DiagnosticInfo> diagnostics)
        {
            int stride = layer.Stride == 0 ? layer.Size : layer.Stride;
            if (!Fits(layer, number, shape, "pooling", layer.Size, stride, padding: 0, layer.SizeArgument, diagnostics))
            {
                return null;
            }

            var output = new TensorShape(shape.Channels, (shape.Height - layer.Size) / stride + 1, (shape.Width - layer.Size) / stride + 1);
            var pool = layer.Kind == DeclaredKind.MaxPool2D ? PoolKind.Max : PoolKind.Average;
            return new Pool2DLayerSpec(number, shape, output, pool, layer.Size, stride);
        }

        /// <summary>
        /// Reports NG0020 when the window is larger than the padded input and NG0021 when the stride leaves part of it
        /// unread, naming the strides (and, for a convolution, the paddings) that would fit.
        /// </summary>
        private static bool Fits(
            LayerDeclaration layer, int number, TensorShape shape, string what, int window, int stride, int padding, SourceSpan windowArgument, List<DiagnosticInfo> diagnostics)
        {
            long height = shape.Height + 2L * padding, width = shape.Width + 2L * padding;
            string padded = $"{height}×{width}";
            if (window > height || window > width)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.WindowTooLarge, windowArgument, what, Validator.Describe(window), Validator.Describe(number), padded,
                    System.Math.Min(height, width).ToString(CultureInfo.InvariantCulture)));
                return false;
            }

            if ((height - window) % stride == 0 && (width - window) % stride == 0)
            {
                return true;
            }

            var strides = Enumerable.Range(1, window).Where(s => (height - window) % s == 0 && (width - window) % s == 0);
            string advice = "strides that fit: " + string.Join(", ", strides.Select(Validator.Describe));
            if (layer.Kind == DeclaredKind.Conv2D)
            {
                var paddings = Enumerable.Range(0, window)
                    .Where(p => (shape.Height + 2L * p - window) % stride == 0 && (shape.Width + 2L * p - window) % stride == 0 && window <= shape.Height + 2L * p)
                    .ToList();
                advice += paddings.Count > 0
                    ? $"; or keep stride {stride} with Padding = " + string.Join(" or ", paddings.Select(Validator.Describe))
                    : "";
            }

            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.WindowsDoNotFit, layer.StrideArgument, Validator.Describe(stride), what, Validator.Describe(window), Validator.Describe(number), padded, advice));
            return false;
        }

        /// <summary>Reports NG0009 for a tensor or parameter block above <see cref="Validator.MaxElements"/>.</summary>
        private static bool FitsElements(NetworkDeclaration declaration, long elements, List<DiagnosticInfo> diagnostics)
        {
            if (elements <= Validator.MaxElements)
            {
                return true;
            }

            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.TooManyParameters, declaration.Identifier, declaration.Type.Name,
                elements.ToString("N0", CultureInfo.InvariantCulture), Validator.MaxElements.ToString("N0", CultureInfo.InvariantCulture)));
            return false;
        }
    }
}
