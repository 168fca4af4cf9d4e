using System;

namespace NetGen;

/// <summary>
/// The second round of a training step: each task turns its parameter ranges of the workspaces' gradients into the
/// step's gradient in <see cref="INetwork.Gradients"/>: summed over the workspaces in order, scaled to the mean over the
/// batch, plus the L1/L2 terms, clipped by value. It records whether its ranges are finite and their squared norm for
/// the checks and the clip by norm that follow on the calling thread.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class GradientReduction<TNetwork>
    where TNetwork : INetwork
{
    private readonly BatchSplit<TNetwork> _split;
    private readonly TrainingOptions _options;
    private readonly bool[] _taskFinite;
    private readonly double[] _taskSquares;

    public GradientReduction(BatchSplit<TNetwork> split, TrainingOptions options)
    {
        _split = split;
        _options = options;
        _taskFinite = new bool[split.Shares.TaskCount];
        _taskSquares = new double[split.Shares.TaskCount];
    }

    /// <summary>Whether every gradient of the last reduction is finite.</summary>
    public bool AllFinite => PerTask.AllTrue(_taskFinite);

    /// <summary>The squared norm of the last reduction's gradients, summed in task order; 0 without <see cref="TrainingOptions.ClipNorm"/>.</summary>
    public double SquaredNorm => PerTask.Sum(_taskSquares);

    /// <summary>Reduces task <paramref name="task"/>'s parameter ranges of the batch the split last ran, a chunk at a time.</summary>
    public void Run(int task)
    {
        TNetwork network = _split.Network;
        ReadOnlySpan<BatchWorkspace> workspaces = _split.Workspaces;
        bool finite = true;
        double squares = 0;
        foreach ((int chunk, int count) in _split.Shares.ParametersOf(task))
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

        _taskFinite[task] = finite;
        _taskSquares[task] = squares;
    }
}
