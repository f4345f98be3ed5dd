//! The affine matrices of PDF graphics: `[a b c d e f]`, applied to row
//! vectors `[x y 1]`, as PDF 32000 §8.3.3 defines them.
//!
//! The text fast path must place glyphs exactly where pdf-extract places
//! them, so products are computed term by term in the order of the
//! definition, with no fused multiply-add. This module does not know about
//! text or pages.

/// A PDF transformation matrix `[a b c d e f]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix::new([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// The matrix `[a b c d e f]`.
    pub(super) const fn new([a, b, c, d, e, f]: [f64; 6]) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    /// A translation by `(x, y)`.
    pub(super) const fn translation(x: f64, y: f64) -> Matrix {
        Matrix::new([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self × next`: this transformation, then `next`.
    pub(super) fn then(&self, next: &Matrix) -> Matrix {
        Matrix {
            a: self.a * next.a + self.b * next.c,
            b: self.a * next.b + self.b * next.d,
            c: self.c * next.a + self.d * next.c,
            d: self.c * next.b + self.d * next.d,
            e: self.e * next.a + self.f * next.c + next.e,
            f: self.e * next.b + self.f * next.d + next.f,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn then_applies_the_left_matrix_first() {
        // Scale by 2, then move by (10, 0): the origin lands on (10, 0) and
        // (1, 0) on (12, 0).
        let m = Matrix::new([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]).then(&Matrix::translation(10.0, 0.0));
        assert_eq!(m, Matrix::new([2.0, 0.0, 0.0, 2.0, 10.0, 0.0]));
        let m = Matrix::translation(10.0, 0.0).then(&Matrix::new([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]));
        assert_eq!(m, Matrix::new([2.0, 0.0, 0.0, 2.0, 20.0, 0.0]));
    }

    #[test]
    fn rotation_composes() {
        let quarter = Matrix::new([0.0, 1.0, -1.0, 0.0, 0.0, 0.0]);
        let half = quarter.then(&quarter);
        assert_eq!(half, Matrix::new([-1.0, 0.0, 0.0, -1.0, 0.0, 0.0]));
        assert_eq!(Matrix::IDENTITY.then(&half), half);
    }
}
