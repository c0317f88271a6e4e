//! tanh without libm. The forward pass takes H tanh per step, and libm's scalar tanh (through
//! expm1) was a fifth of the training time; this one has no branches and no calls, so the
//! compiler vectorises the loop around it (AVX2 natively, simd128 in wasm). Cephes' rational
//! approximations: within a few ulp of libm (see the test), far inside the golden tolerances.
//! Single precision has its own, [`tanh_f32`]: a double tanh in f32 batches ran two lanes to a
//! vector with three divisions each, and was a third of a gated f32 epoch in wasm.

// The constants are Cephes' and Eigen's as published, digits beyond the type's included.
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

/// Odd numerator (x¹ … x¹³) and even denominator (x⁰ … x⁶) of [`tanh_f32`]'s rational
/// approximation: Eigen's `ptanh_float` (generic_fast_tanh_float), whose clamp is [`F32_CLAMP`].
const F32_NUM: [f32; 7] = [
    4.893_524_558_917_86e-3,
    6.372_619_288_754_36e-4,
    1.485_722_357_179_79e-5,
    5.122_297_090_371_14e-8,
    -8.604_671_522_137_35e-11,
    2.000_187_904_824_77e-13,
    -2.760_768_477_423_55e-16,
];
const F32_DEN: [f32; 4] = [4.893_525_185_543_85e-3, 2.268_434_632_439_00e-3, 1.185_347_056_866_54e-4, 1.198_258_394_667_02e-6];
/// Beyond ±7.9053 the rational form is 1 to single precision; clamping keeps its powers finite.
const F32_CLAMP: f32 = 7.905_311_107_635_498_05;

/// tanh(x) in single precision, one division and no branches (the clamp is a select), so a loop
/// of it vectorises four lanes wide: within 8 ulp (5e-7) of the exact tanh, |result| <= 1, and
/// NaN gives NaN (see the test).
#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    // clamp compares (NaN passes through), where f32::min/max would also order NaN
    let x = x.clamp(-F32_CLAMP, F32_CLAMP);
    let x2 = x * x;
    let [a1, a3, a5, a7, a9, a11, a13] = F32_NUM;
    let [b0, b2, b4, b6] = F32_DEN;
    let p = x * (((((((a13 * x2 + a11) * x2 + a9) * x2 + a7) * x2 + a5) * x2 + a3) * x2) + a1);
    let q = ((b6 * x2 + b4) * x2 + b2) * x2 + b0;
    p / q
}

#[cfg(test)]
mod tests {
    use super::{tanh, tanh_f32};

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

    /// Single-precision ulps of the exact tanh (libm's double, which is within an ulp of it) at x.
    fn f32_error_in_ulps(x: f32) -> f64 {
        let exact = f64::from(x).tanh();
        let rounded = exact.abs() as f32;
        let ulp = f64::from(f32::from_bits(rounded.to_bits() + 1) - rounded);
        (f64::from(tanh_f32(x)) - exact).abs() / ulp
    }

    #[test]
    fn single_precision_tanh_is_within_eight_ulp_and_never_past_one() {
        let mut worst = 0.0f64;
        for i in -1_000_000..=1_000_000 {
            let x = i as f32 * 1e-5;
            worst = worst.max(f32_error_in_ulps(x));
            assert!(tanh_f32(x).abs() <= 1.0, "|tanh({x})| <= 1");
        }
        for e in -400..=20 {
            let x = 10f32.powf(e as f32 / 20.0);
            worst = worst.max(f32_error_in_ulps(x)).max(f32_error_in_ulps(-x));
        }
        assert!(worst <= 8.0, "{worst} ulp");
        assert_eq!(tanh_f32(0.0), 0.0);
        assert_eq!(tanh_f32(100.0), 1.0);
        assert_eq!(tanh_f32(-f32::MAX), -1.0);
        assert!(tanh_f32(f32::NAN).is_nan());
    }
}
