using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Inference;

/// Disposal, shared state and batch sizes: nothing a caller does may crash the process.
public sealed class SoundClassifierLifetimeTests : IClassFixture<TinyPackageFixture>
{
    private readonly TinyPackageFixture _package;

    public SoundClassifierLifetimeTests(TinyPackageFixture package) => _package = package;

    private static byte[] Frames(int frames, int seed)
    {
        var bytes = new byte[frames * PackageContract.FrameSize];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Every_call_after_dispose_is_an_object_disposed_exception()
    {
        var classifier = SoundClassifier.Load(_package.Directory);
        classifier.Dispose();
        classifier.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => classifier.Predict(Frames(3, 1)));
        Assert.Throws<ObjectDisposedException>(() => classifier.Predict(Frames(10, 1), 4));
        Assert.Throws<ObjectDisposedException>(() => classifier.PredictBatch([Frames(2, 1)]));
        Assert.Throws<ObjectDisposedException>(() => classifier.PredictBatch([]));
    }

    [Fact]
    public async Task Dispose_while_other_threads_predict_lets_them_finish_or_refuse()
    {
        var classifier = SoundClassifier.Load(_package.Directory);
        var clips = Enumerable.Range(0, 64).Select(i => (ReadOnlyMemory<byte>)Frames(1 + i % 10, i)).ToList();
        var expected = classifier.PredictBatch(clips).Select(p => p.Label).ToArray();
        int answered = 0, refused = 0;
        using var started = new CountdownEvent(4);
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            started.Signal();
            for (int i = 0; ; i++)
            {
                try
                {
                    var prediction = classifier.Predict(clips[i % clips.Count].Span);
                    Assert.Equal(expected[i % clips.Count], prediction.Label);
                    Interlocked.Increment(ref answered);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        })).ToArray();
        started.Wait();
        await Task.Delay(200);
        classifier.Dispose();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(answered > 0);
        Assert.Equal(4, refused);
    }

    [Fact]
    public void Classes_cannot_be_changed_through_a_cast()
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        Assert.False(classifier.Classes is string[]);
        var list = Assert.IsAssignableFrom<IList<string>>(classifier.Classes);
        Assert.Throws<NotSupportedException>(() => list[0] = "Renamed");
        var prediction = classifier.Predict(Frames(10, 3));
        Assert.False(prediction.Probabilities is float[]);
        Assert.Equal(classifier.Classes[prediction.Label], prediction.ClassName);
    }

    [Fact]
    public void Clips_over_ten_frames_are_scored_on_their_first_ten()
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        var first10 = Frames(10, 7);
        foreach (int frames in new[] { 11, 1000 })
        {
            var longer = new byte[frames * PackageContract.FrameSize];
            new Random(99).NextBytes(longer);
            first10.CopyTo(longer, 0);
            Assert.Equal(classifier.Predict(first10).Probabilities, classifier.Predict(longer).Probabilities);
            Assert.Equal(classifier.PredictBatch([first10])[0].Probabilities, classifier.PredictBatch([longer])[0].Probabilities);
        }
    }

    [Fact]
    public void Batches_larger_than_one_run_are_split_and_keep_their_order()
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        int count = SoundClassifier.MaxClipsPerRun + 100;
        var distinct = Enumerable.Range(0, 16).Select(i => (ReadOnlyMemory<byte>)Frames(1 + i % 10, i)).ToArray();
        var clips = Enumerable.Range(0, count).Select(i => distinct[i % distinct.Length]).ToList();
        var predictions = classifier.PredictBatch(clips);
        Assert.Equal(count, predictions.Count);
        var single = distinct.Select(c => classifier.Predict(c.Span).Label).ToArray();
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(single[i % distinct.Length], predictions[i].Label));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(1281)]
    public void Partial_frames_are_argument_errors_naming_the_clip(int bytes)
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        Assert.Contains($"clip 0: {bytes} bytes is not a whole, positive number of 128-byte frames", Assert.Throws<ArgumentException>(() => classifier.Predict(new byte[bytes])).Message);
        Assert.Contains($"clip 1: {bytes} bytes", Assert.Throws<ArgumentException>(() => classifier.PredictBatch([new byte[128], new byte[bytes]])).Message);
        Assert.Throws<ArgumentNullException>(() => classifier.PredictBatch(null!));
    }
}
