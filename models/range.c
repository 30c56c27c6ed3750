/* range.c: constructors and checks for three-point estimates. */
#include "verdict/range.h"

#include <math.h>

struct range range_point(double v)
{
    struct range r = { v, v, v };
    return r;
}

struct range range_make(double low, double likely, double high)
{
    struct range r = { low, likely, high };
    return r;
}

int range_is_point(struct range r)
{
    return r.low == r.likely && r.likely == r.high;
}

