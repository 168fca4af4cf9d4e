using System;

namespace NetGen;

/// <summary>
/// The second round of a training step: each worker turns its parameter ranges of the workspaces' gradients into the
/// step's gradient in <see cref="INetwork.Gradients"/>: summed over the workspaces in worker order, scaled to the mean
/// over the batch, plus the L1/L2 terms, clipped by value. It records whether its ranges are finite and their squared
/// norm for the checks and the clip by norm that follow on the calling thread.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class GradientReduction<TNetwork>
    where TNetwork : INetwork
{
    private readonly BatchSplit<TNetwork> _split;
    private readonly TrainingOptions _options;
    private readonly bool[] _workerFinite;
    private readonly double[] _workerSquares;

    public GradientReduction(BatchSplit<TNetwork> split, TrainingOptions options)
    {
        _split = split;
        _options = options;
        _workerFinite = new bool[split.Workers];
        _workerSquares = new double[split.Workers];
    }

    /// <summary>Whether every gradient of the last reduction is finite.</summary>
    public bool AllFinite => PerWorker.AllTrue(_workerFinite);

    /// <summary>The squared norm of the last reduction's gradients, summed in worker order; 0 without <see cref="TrainingOptions.ClipNorm"/>.</summary>
    public double SquaredNorm => PerWorker.Sum(_workerSquares);

    /// <summary>Reduces worker <paramref name="worker"/>'s parameter ranges of the batch the split last ran, a chunk at a time.</summary>
    public void Run(int worker)
    {
        TNetwork network = _split.Network;
        ReadOnlySpan<BatchWorkspace> workspaces = _split.Workspaces;
        bool finite = true;
        double squares = 0;
        foreach ((int chunk, int count) in _split.Shares.ParametersOf(worker))
        {
            Span<float> gradients = network.Gradients.Slice(chunk, count);
            workspaces[0].GradientSpan.Slice(chunk, count).CopyTo(gradients);
            for (int w = 1; w < workspaces.Length; w++)
            {
                SpanMath.Add(gradients, workspaces[w].GradientSpan.Slice(chunk, count));
            }

            SpanMath.Scale(gradients, 1f / _split.Count);
            if (_options.L1 != 0f || _options.L2 != 0f)
            {
                SpanMath.AddPenaltyGradients(gradients, network.Parameters.Slice(chunk, count), _options.L1, _options.L2);
            }

            finite &= SpanMath.AllFinite(gradients);
            if (_options.ClipValue is float limit)
            {
                SpanMath.Clamp(gradients, limit);
            }

            if (_options.ClipNorm is not null)
            {
                squares += SpanMath.SumOfSquares(gradients);
            }
        }

        _workerFinite[worker] = finite;
        _workerSquares[worker] = squares;
    }
}
