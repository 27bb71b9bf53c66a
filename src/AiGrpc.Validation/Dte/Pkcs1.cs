using System.Numerics;
using System.Security.Cryptography;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// RSASSA-PKCS1-v1_5 verification with SHA-1 (RFC 8017, sections 8.2.2 and 9.2) on raw (modulus, exponent),
/// for the small TED and CAF keys (512-1024 bits, e = 3 or 65537). Pure managed arithmetic: no key object
/// to import per document, which cost more than the verification itself, and thread-safe.
/// </summary>
public static class Pkcs1
{
    // DigestInfo prefix for SHA-1 (RFC 8017, section 9.2, note 1).
    private static readonly byte[] Sha1DigestInfo = [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];

    /// <summary>True when <paramref name="signature"/> is a valid SHA1withRSA signature of <paramref name="data"/>.</summary>
    public static bool VerifySha1(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        modulus = modulus.TrimStart((byte)0);
        var k = modulus.Length;
        if (k < 64 || signature.Length != k || exponent.IsEmpty)
        {
            return false;
        }

        var n = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return false;
        }

        var m = BigInteger.ModPow(s, new BigInteger(exponent, isUnsigned: true, isBigEndian: true), n);
        // stackalloc memory is zeroed (no SkipLocalsInit), and m < n fits in k bytes: the write cannot fail.
        Span<byte> em = stackalloc byte[k];
        _ = m.TryWriteBytes(em[(k - m.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);

        // EM = 0x00 || 0x01 || PS (0xFF, >= 8 bytes) || 0x00 || DigestInfo || H; k >= 64 leaves room for the 35 bytes of
        // DigestInfo || H and the 11 of the rest.
        var tLength = Sha1DigestInfo.Length + 20;
        if (em[0] != 0x00 || em[1] != 0x01 || em[k - tLength - 1] != 0x00)
        {
            return false;
        }

        foreach (var b in em[2..(k - tLength - 1)])
        {
            if (b != 0xFF)
            {
                return false;
            }
        }

        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what the SII mandates for TED and CAF signatures; we only verify.
        SHA1.HashData(data, hash);
#pragma warning restore CA5350
        return em.Slice(k - tLength, Sha1DigestInfo.Length).SequenceEqual(Sha1DigestInfo) && CryptographicOperations.FixedTimeEquals(em[(k - 20)..], hash);
    }
}
