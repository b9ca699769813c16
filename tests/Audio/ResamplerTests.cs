using Custom.Audio.Resampling;

namespace Custom.Tests.Audio;

/// The resampler against scipy.signal.resample_poly(x, 16000, rate) (default Kaiser β = 5 window) on the same signal.
public sealed class ResamplerTests
{
    public static TheoryData<int, int, double, int[], double[]> Scipy => new()
    {
        { 44100, 16000, 0.29110209138766291, [0, 1, 100, 7999, 15999], [0.014237069362929801, 0.25274779992837615, 0.47724884204923207, -0.16566244494410526, -0.07571751685265142] },
        { 22050, 16000, 0.29935910195722137, [0, 1, 100, 7999, 15999], [-0.033364305436562429, 0.27513618633119302, 0.2631389578147531, -0.16144754168339873, -0.081139573427638875] },
        { 48000, 16000, 0.29146339810124144, [0, 1, 100, 7999, 15999], [0.02115215819723466, 0.23997622783508848, 0.36567833589978627, -0.14386804267062989, -0.14498137078988729] },
        { 8000, 16000, 0.30682270524498001, [0, 1, 100, 7999, 15999], [-0.10454625913454924, 0.19192766659735136, 0.39400260743931764, -0.29922585996800949, -0.12336417131404916] },
        { 11025, 16000, 0.30369087301271014, [0, 1, 100, 7999, 15999], [-0.10456273408387692, 0.26524751445470246, 0.53470148491601865, -0.13502344496294499, -0.13842728646408245] },
    };

    [Theory]
    [MemberData(nameof(Scipy))]
    public void Matches_scipy_resample_poly(int rate, int length, double rms, int[] indices, double[] values)
    {
        var y = PolyphaseResampler.Resample(TestSignals.ToneAndNoise(rate), rate, 16_000);

        Assert.Equal(length, y.Length);
        Assert.Equal(rms, Math.Sqrt(y.Average(v => v * v)), 1e-12);
        for (int i = 0; i < indices.Length; i++)
        {
            Assert.Equal(values[i], y[indices[i]], 1e-12);
        }
    }

    [Fact]
    public void Same_rate_is_untouched_and_odd_rates_give_the_rounded_up_length()
    {
        var x = TestSignals.ToneAndNoise(16_000);
        Assert.Same(x, PolyphaseResampler.Resample(x, 16_000, 16_000));
        Assert.Equal(16_000 * 1000 / 7919 + 1, PolyphaseResampler.Resample(new double[1000], 7919, 16_000).Length);
    }

    [Fact]
    public void A_tone_below_8_kHz_keeps_its_frequency_and_level()
    {
        const int rate = 44_100;
        var x = Enumerable.Range(0, rate).Select(i => 0.5 * Math.Sin(2 * Math.PI * 1234.0 * i / rate)).ToArray();
        var y = PolyphaseResampler.Resample(x, rate, 16_000);
        for (int n = 1000; n < 15_000; n += 97)
        {
            Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 1234.0 * n / 16_000), y[n], 1e-3);
        }
    }
}
