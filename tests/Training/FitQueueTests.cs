using Custom.Training.Validation;

namespace Custom.Tests.Training;

public sealed class FitQueueTests
{
    [Fact]
    public void Every_item_runs_once_and_exclusive_items_never_overlap()
    {
        var items = Enumerable.Range(0, 60).ToList();
        bool Exclusive(int i) => i % 3 == 0;
        var runs = new int[items.Count];
        int exclusiveNow = 0, exclusiveMax = 0;
        new FitQueue<int>(items, Exclusive).Run(3, i =>
        {
            Interlocked.Increment(ref runs[i]);
            if (Exclusive(i))
            {
                int now = Interlocked.Increment(ref exclusiveNow);
                InterlockedMax(ref exclusiveMax, now);
                Thread.Sleep(3); // long enough for the other workers to come asking
                Interlocked.Decrement(ref exclusiveNow);
            }
        });

        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Equal(1, exclusiveMax);
    }

    [Fact]
    public void One_worker_keeps_the_given_order()
    {
        var order = new List<int>();
        new FitQueue<int>([5, 3, 9, 1, 4], i => i % 2 == 1).Run(1, order.Add);
        Assert.Equal([5, 3, 9, 1, 4], order);
    }

    [Fact]
    public void A_failing_item_stops_the_queue_and_its_exception_comes_out()
    {
        var ran = new List<int>();
        var error = Assert.Throws<AggregateException>(() => new FitQueue<int>(Enumerable.Range(0, 10), _ => false).Run(1, i =>
        {
            ran.Add(i);
            if (i == 3)
            {
                throw new InvalidOperationException("fit 3 failed");
            }
        }));
        Assert.Equal("fit 3 failed", Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions)).Message);
        Assert.Equal([0, 1, 2, 3], ran);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
