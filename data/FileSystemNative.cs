using System.Runtime.InteropServices;

namespace Custom.Data;

/// The two file-system facts .NET does not expose: whether a path is a regular file (not a FIFO, device or socket,
/// which can block or never end when opened), and an atomic exchange of two folders (Linux renameat2).
internal static class FileSystemNative
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;
    private const int DirectoryType = 0x4000;

    /// What a path names, following symbolic links.
    public enum Kind
    {
        Missing,
        Regular,
        Directory,
        Other,
    }

    public static Kind KindOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.Regular : Kind.Missing;
        }

        try
        {
            // SystemNative_Stat fills .NET's own FileStatus struct, whose second int is st_mode; 256 bytes is more
            // than the struct needs on any platform.
            var status = new byte[256];
            if (Stat(path, status) != 0)
            {
                return Kind.Missing;
            }

            int type = BitConverter.ToInt32(status, 4) & FileTypeMask;
            return type switch { RegularFileType => Kind.Regular, DirectoryType => Kind.Directory, _ => Kind.Other };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without the native call, a file that reports no length is treated as not regular: FIFOs and devices do.
            return Directory.Exists(path) ? Kind.Directory : !File.Exists(path) ? Kind.Missing : new FileInfo(path).Length > 0 ? Kind.Regular : Kind.Other;
        }
    }

    /// Swaps two existing folders in one step; false when the platform or file system cannot.
    public static bool TryExchange(string first, string second)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return RenameAt2(AtFdCwd, first, AtFdCwd, second, RenameExchange) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
