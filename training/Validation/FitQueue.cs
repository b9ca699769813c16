namespace Custom.Training.Validation;

/// <summary>
/// Runs work items on a few workers in the order given, except that an exclusive item never starts while another
/// exclusive one runs: the free worker takes the next other item instead. ML.NET trains one LightGBM booster at a time
/// per process (a static lock), so two LightGBM fits on two workers would leave one worker waiting on that lock.
/// </summary>
internal sealed class FitQueue<T>(IEnumerable<T> items, Func<T, bool> exclusive)
{
    private readonly LinkedList<T> _pending = new(items);
    private readonly object _gate = new();
    private bool _exclusiveRunning;
    private bool _failed;

    /// Runs every item with <paramref name="run"/> on <paramref name="workers"/> threads; the first exception stops the
    /// handing out of further items and is rethrown (inside an <see cref="AggregateException"/>).
    public void Run(int workers, Action<T> run)
    {
        int count = Math.Max(1, workers);
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = count },
            Enumerable.Range(0, count).Select(_ => (Action)(() => Work(run))).ToArray());
    }

    private void Work(Action<T> run)
    {
        while (TryTake(out var item))
        {
            try
            {
                run(item);
            }
            catch
            {
                lock (_gate)
                {
                    _failed = true;
                }

                throw;
            }
            finally
            {
                Release(item);
            }
        }
    }

    private bool TryTake(out T item)
    {
        lock (_gate)
        {
            while (!_failed && _pending.Count > 0)
            {
                for (var node = _pending.First; node is not null; node = node.Next)
                {
                    bool isExclusive = exclusive(node.Value);
                    if (!isExclusive || !_exclusiveRunning)
                    {
                        _pending.Remove(node);
                        _exclusiveRunning |= isExclusive;
                        item = node.Value;
                        return true;
                    }
                }

                // Only exclusive items are left and one is running: wait for it.
                Monitor.Wait(_gate);
            }
        }

        item = default!;
        return false;
    }

    private void Release(T item)
    {
        lock (_gate)
        {
            if (exclusive(item))
            {
                _exclusiveRunning = false;
            }

            Monitor.PulseAll(_gate);
        }
    }
}
