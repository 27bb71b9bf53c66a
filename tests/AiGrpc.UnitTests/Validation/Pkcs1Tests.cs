using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The managed SHA1withRSA verification of TED and CAF signatures: a real signature verifies, and each part of the
/// PKCS#1 v1.5 encoding that it checks, when wrong in a value signed with the real private key, makes it fail. The
/// forged values are raised to the private exponent here, so only the encoding is wrong, not the arithmetic.
/// </summary>
public class Pkcs1Tests
{
    private static readonly byte[] Data = Encoding.Latin1.GetBytes("<DD><RE>76354771-K</RE><TD>33</TD><F>42</F></DD>");

    private static readonly RSA Key = RSA.Create(1024);

    private static readonly RSAParameters Private = Key.ExportParameters(true);

    private static readonly byte[] DigestInfo = [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];

    private static bool Verify(ReadOnlySpan<byte> signature, byte[]? data = null, byte[]? modulus = null, byte[]? exponent = null) =>
        Pkcs1.VerifySha1(modulus ?? Private.Modulus!, exponent ?? Private.Exponent!, data ?? Data, signature);

    /// <summary>The encoded message EM = 00 01 FF.. 00 DigestInfo SHA1(data), with one part changeable.</summary>
    private static byte[] Encoded(Action<byte[]>? change = null)
    {
        var k = Private.Modulus!.Length;
        var em = new byte[k];
        em[1] = 0x01;
        var t = DigestInfo.Length + 20;
        em.AsSpan(2, k - t - 3).Fill(0xFF);
        DigestInfo.CopyTo(em, k - t);
#pragma warning disable CA5350 // The SII's TED format is SHA1withRSA.
        SHA1.HashData(Data).CopyTo(em, k - 20);
#pragma warning restore CA5350
        change?.Invoke(em);
        return em;
    }

    /// <summary>EM raised to the private exponent: a "signature" whose public operation gives back EM.</summary>
    private static byte[] RawSign(byte[] em)
    {
        var n = new BigInteger(Private.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(Private.D, isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(new BigInteger(em, isUnsigned: true, isBigEndian: true), d, n);
        var bytes = new byte[Private.Modulus!.Length];
        s.TryWriteBytes(bytes.AsSpan(bytes.Length - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    [Fact]
    public void A_signature_made_by_the_platform_verifies_and_the_same_encoding_made_here_too()
    {
        var platform = Key.SignData(Data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        Assert.True(Verify(platform));
        Assert.Equal(platform, RawSign(Encoded()));
    }

    [Fact]
    public void Other_data_or_another_key_do_not_verify()
    {
        var signature = RawSign(Encoded());
        Assert.False(Verify(signature, data: [.. Data, (byte)' ']));
        using var other = RSA.Create(1024);
        Assert.False(Verify(signature, modulus: other.ExportParameters(false).Modulus));
    }

    [Fact]
    public void A_modulus_with_leading_zero_bytes_is_the_same_key()
    {
        var signature = RawSign(Encoded());
        Assert.True(Verify(signature, modulus: [0, 0, .. Private.Modulus!]));
    }

    public static TheoryData<string> Defects() =>
    [
        "first byte not 00",
        "block type not 01",
        "block type 02",
        "padding byte not FF",
        "last padding byte not FF",
        "no 00 after the padding",
        "digest info of another hash",
        "digest info last byte",
        "hash of other data",
        "last hash byte",
    ];

    [Theory]
    [MemberData(nameof(Defects))]
    public void Each_defect_of_the_encoding_fails(string defect)
    {
        var k = Private.Modulus!.Length;
        var t = DigestInfo.Length + 20;
        var em = Encoded(e =>
        {
            switch (defect)
            {
                case "first byte not 00": e[0] = 0x01; break;
                case "block type not 01": e[1] = 0x00; break;
                case "block type 02": e[1] = 0x02; break;
                case "padding byte not FF": e[2] = 0xFE; break;
                case "last padding byte not FF": e[k - t - 2] = 0x00; break;
                case "no 00 after the padding": e[k - t - 1] = 0xFF; break;
                case "digest info of another hash": e[k - t + 8] = 0x60; break;
                case "digest info last byte": e[k - t + DigestInfo.Length - 1] = 0x20; break;
                case "hash of other data": e[k - 20] ^= 0x01; break;
                default: e[k - 1] ^= 0x80; break;
            }
        });

        // A first byte of 01 still leaves EM under the modulus (whose first byte is 80 or more): it can be signed.
        Assert.True(new BigInteger(em, isUnsigned: true, isBigEndian: true) < new BigInteger(Private.Modulus, isUnsigned: true, isBigEndian: true));
        Assert.False(Verify(RawSign(em)), defect);
    }

    [Fact]
    public void A_signature_not_smaller_than_the_modulus_fails()
    {
        Assert.False(Verify(Private.Modulus));
        Assert.False(Verify(Enumerable.Repeat((byte)0xFF, Private.Modulus!.Length).ToArray()));
    }

    [Fact]
    public void A_signature_of_another_length_fails()
    {
        var signature = RawSign(Encoded());
        Assert.False(Verify(signature.AsSpan(1)));
        Assert.False(Verify([0, .. signature]));
    }

    [Fact]
    public void Keys_under_512_bits_or_without_exponent_fail()
    {
        var signature = RawSign(Encoded());
        Assert.False(Verify(signature, exponent: []));

        // A 504-bit modulus (63 bytes) is refused before any arithmetic; 512 bits (64 bytes) is the smallest accepted.
        Assert.False(Pkcs1.VerifySha1(new byte[63].Select((_, i) => (byte)(i == 0 ? 0xC1 : 0x55)).ToArray(), [1, 0, 1], Data, new byte[63]));
        using var small = RSA.Create(512);
        var smallSignature = small.SignData(Data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        Assert.True(Pkcs1.VerifySha1(small.ExportParameters(false).Modulus, small.ExportParameters(false).Exponent, Data, smallSignature));
    }

    [Fact]
    public void An_exponent_is_read_as_an_unsigned_big_endian_number()
    {
        // The same key pair with a two-byte public exponent whose first byte has its high bit set and whose bytes differ
        // (0x80 0x01 and up): read signed it would be negative, read little-endian another number.
        var p = new BigInteger(Private.P, isUnsigned: true, isBigEndian: true);
        var q = new BigInteger(Private.Q, isUnsigned: true, isBigEndian: true);
        var phi = (p - 1) * (q - 1);
        var e = Enumerable.Range(0, 1000).Select(i => new BigInteger(0x8001 + (2 * i))).First(c => BigInteger.GreatestCommonDivisor(c, phi).IsOne);
        var d = ModInverse(e, phi);
        var n = new BigInteger(Private.Modulus, isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(new BigInteger(Encoded(), isUnsigned: true, isBigEndian: true), d, n);
        var signature = new byte[Private.Modulus!.Length];
        s.TryWriteBytes(signature.AsSpan(signature.Length - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        var exponent = e.ToByteArray(isUnsigned: true, isBigEndian: true);

        Assert.Equal(2, exponent.Length);
        Assert.True(exponent[0] >= 0x80);
        Assert.True(Verify(signature, exponent: exponent));
        Assert.False(Verify(signature, exponent: [exponent[1], exponent[0]]));
    }

    [Fact]
    public void A_signature_that_decrypts_to_a_full_length_value_fails()
    {
        // (n - 1)^e mod n = n - 1 for an odd e: a value as long as the modulus, whose first byte is not 00.
        var n = new BigInteger(Private.Modulus, isUnsigned: true, isBigEndian: true);
        Assert.False(Verify((n - 1).ToByteArray(isUnsigned: true, isBigEndian: true)));
    }

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        var (oldR, r) = (a, m);
        var (oldS, s) = (BigInteger.One, BigInteger.Zero);
        while (!r.IsZero)
        {
            var quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        return ((oldS % m) + m) % m;
    }
}
