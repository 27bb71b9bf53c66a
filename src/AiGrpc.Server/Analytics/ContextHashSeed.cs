namespace AiGrpc.Server.Analytics;

/// <summary>The seed of the context caches' byte hashes (<see cref="ContextParseCache"/>, <see cref="RestContextReuse"/>):
/// random per process, so that nobody can choose bodies that collide in the tables. A collision would only cost a cache
/// miss (entries are compared byte for byte), but many would empty the tables for everyone.</summary>
internal static class ContextHashSeed
{
    public static readonly long Value = BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(long)));
}
