/* json_cjson.h: where cJSON 1.7.15 would stop parsing a text (app/json/json_cjson.c). */
#ifndef VERDICT_JSON_CJSON_H
#define VERDICT_JSON_CJSON_H

#include <stddef.h>

/* 1 when cJSON parses a value from b (len > 0), *end past it; 0 when it
 * fails, *end where it says it failed.  For messages that must name the
 * place cJSON named (verdict diff's, before it read with json_tree). */
int json_cjson_parse(const char *b, size_t len, size_t *end);

#endif /* VERDICT_JSON_CJSON_H */
