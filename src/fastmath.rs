//! tanh without libm. The forward pass takes H tanh per step, and libm's scalar tanh (through
//! expm1) was a fifth of the training time; this one has no branches and no calls, so the
//! compiler vectorises the loop around it (AVX2 natively, simd128 in wasm). Cephes' rational
//! approximations: within a few ulp of libm (see the test), far inside the golden tolerances.

// The constants are Cephes' as published, digits beyond a double's included.
#![allow(clippy::excessive_precision)]

/// 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer in the low bits.
const ROUND: f64 = 6_755_399_441_055_744.0;
const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;

/// e^y for y in [0, 709]: y = k ln2 + r with |r| <= ln2 / 2, e^r by Cephes' Padé form.
#[inline(always)]
fn exp_non_negative(y: f64) -> f64 {
    let big = y * std::f64::consts::LOG2_E + ROUND;
    let k = big - ROUND;
    let r = (y - k * LN2_HI) - k * LN2_LO;
    let rr = r * r;
    let p = r * ((1.261_771_930_748_105_908_78e-4 * rr + 3.029_944_077_074_419_613_00e-2) * rr + 9.999_999_999_999_999_999_10e-1);
    let q =
        ((3.001_985_051_386_644_550_42e-6 * rr + 2.524_483_403_496_841_041_92e-3) * rr + 2.272_655_482_081_550_287_66e-1) * rr + 2.000_000_000_000_000_000_09;
    let e_r = 1.0 + 2.0 * (p / (q - p));
    // 2^k: k sits in the low bits of `big`; shifting by 52 drops ROUND's own bits.
    e_r * f64::from_bits((big.to_bits() + 1023) << 52)
}

/// tanh(x), finite x (NaN gives NaN).
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    // |x| < 0.625: x + x³ P(x²) / Q(x²)
    let s = x * x;
    let p = (-9.643_991_794_250_522_386_28e-1 * s - 9.928_772_310_019_185_865_64e1) * s - 1.614_687_684_417_084_479_52e3;
    let q = ((s + 1.128_116_784_916_329_314_02e2) * s + 2.235_488_390_601_004_485_83e3) * s + 4.844_063_053_251_250_486_048e3;
    let small = x + x * s * (p / q);
    // otherwise 1 - 2 / (e^2|x| + 1); tanh(20) is 1.0 in doubles, so clamping keeps e^2|x| finite.
    let large = (1.0 - 2.0 / (exp_non_negative(2.0 * a.min(20.0)) + 1.0)).copysign(x);
    // NaN fails the comparison and takes the small branch, which propagates it.
    if a >= 0.625 {
        large
    } else {
        small
    }
}

#[cfg(test)]
mod tests {
    use super::tanh;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn tanh_is_within_a_few_ulp_of_libm() {
        let mut worst = 0;
        for i in -400_000..=400_000 {
            let x = i as f64 * 6.1e-5 + 1e-9;
            worst = worst.max(ulps(tanh(x), x.tanh()));
        }
        for x in [1e-300, 1e-20, 1e-8, 0.624_999_999, 0.625, 19.9, 20.0, 21.0, 700.0, 1e300] {
            worst = worst.max(ulps(tanh(x), x.tanh())).max(ulps(tanh(-x), (-x).tanh()));
        }
        assert!(worst <= 4, "{worst} ulp");
        assert_eq!(tanh(0.0), 0.0);
        assert!(tanh(f64::NAN).is_nan());
    }
}
