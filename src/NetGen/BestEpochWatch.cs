namespace NetGen;

/// <summary>Early stopping's bookkeeping: the best value of the watched metric so far and the epochs since.</summary>
internal sealed class BestEpochWatch
{
    private readonly EarlyStopping? _rule;
    private float _best;
    private int _epochsSinceBest;

    public BestEpochWatch(EarlyStopping? rule)
    {
        _rule = rule;
        _best = rule?.Metric == StoppingMetric.ValidationAccuracy ? float.NegativeInfinity : float.PositiveInfinity;
    }

    /// <summary>The epoch with the best watched value, 0 before any (or without a rule).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Records an epoch; true when it is the new best.</summary>
    public bool Observe(EpochReport report)
    {
        if (_rule is null)
        {
            return false;
        }

        float value = Watched(report);
        bool improved = _rule.Metric == StoppingMetric.ValidationAccuracy
            ? value > _best + _rule.MinDelta
            : value < _best - _rule.MinDelta;
        if (improved || BestEpoch == 0)
        {
            _best = value;
            BestEpoch = report.Epoch;
            _epochsSinceBest = 0;
            return true;
        }

        _epochsSinceBest++;
        return false;
    }

    /// <summary>Why to stop after this epoch, or null to go on.</summary>
    public StopReason? ShouldStop(EpochReport report)
    {
        if (_rule is null)
        {
            return null;
        }

        float loss = report.ValidationLoss ?? report.TrainingLoss;
        float accuracy = report.ValidationAccuracy ?? report.TrainingAccuracy;
        if (loss <= _rule.TargetLoss || accuracy >= _rule.TargetAccuracy)
        {
            return StopReason.TargetReached;
        }

        return _epochsSinceBest >= _rule.Patience ? StopReason.Plateau : null;
    }

    private float Watched(EpochReport report) => _rule!.Metric == StoppingMetric.ValidationAccuracy
        ? report.ValidationAccuracy ?? report.TrainingAccuracy
        : report.ValidationLoss ?? report.TrainingLoss;
}
