/* range.h: an estimate that is either one number or a [low, likely, high] range. */
#ifndef VERDICT_RANGE_H
#define VERDICT_RANGE_H

/*
 * Every estimate in the assumptions file may be a plain number or a
 * three-point range.  A plain number is stored as low == likely == high.
 * Invariant kept by the loader: low <= likely <= high, all finite.
 */
struct range {
    double low;
    double likely;
    double high;
};

/* A range holding the single value v. */
struct range range_point(double v);

/* A range from three values; the caller guarantees low <= likely <= high. */
struct range range_make(double low, double likely, double high);

/* 1 when low == likely == high (nothing for Monte Carlo to draw). */
int range_is_point(struct range r);

#endif /* VERDICT_RANGE_H */
