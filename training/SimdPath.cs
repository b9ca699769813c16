using System.Runtime.Intrinsics.X86;

namespace Custom.Training;

/// <summary>
/// The SIMD path this process runs on. ML.NET's float sums (and the perceptron's kernels) add in an order set by the
/// vector width, so trained figures differ in the last decimals between a CPU that uses 256-bit AVX vectors and one on
/// the 128-bit SSE path. The reference figures (<c>artifacts/reference/</c>) come from the 128-bit path, which every
/// x64 CPU has: the .NET runtime takes it when <c>DOTNET_EnableAVX=0</c> is set in the environment (the Cake targets
/// set it). Any path is deterministic on its own CPU.
/// </summary>
public static class SimdPath
{
    /// <summary>The environment setting that pins the reference path.</summary>
    public const string PinVariable = "DOTNET_EnableAVX=0";

    /// <summary>True on the path the reference figures were made on: x64 with SSE and AVX off.</summary>
    public static bool IsReference => Sse41.IsSupported && !Avx.IsSupported;

    /// <summary>The vector width the process uses, e.g. <c>256-bit (AVX2)</c>.</summary>
    public static string Description =>
        Avx2.IsSupported ? "256-bit (AVX2)" : Avx.IsSupported ? "256-bit (AVX)" : Sse41.IsSupported ? "128-bit (SSE4.1)" :
        System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "128-bit (Arm AdvSIMD)" : "no SIMD";

    /// <summary>A one-line note for runs off the reference path, or null on it.</summary>
    public static string? Note => IsReference
        ? null
        : $"figures depend on the CPU's vector width: this run used {Description} vectors, while the reference figures come from the " +
          $"128-bit x64 path; set {PinVariable} in the environment to get them (the Cake targets do)";
}
