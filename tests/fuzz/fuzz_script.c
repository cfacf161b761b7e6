/* libFuzzer harness: the script command-line parser (src/core/script.c,
 * script_parse and script_needs_shell), which splits every vrrp_script and
 * notify command of a configuration.
 *
 * Input: a command line (cut at its first NUL, as a C string is).
 *
 * Invariants: script_parse() either fails with a message and leaves the
 * command empty, or yields a NULL-terminated argv of argc non-NULL words
 * and words of nwords; it chose the shell exactly when
 * script_needs_shell() says so, and then argv is {"/bin/sh", "-c", LINE,
 * "sh"}; a direct command's argv is its words, the first one not empty.
 * And the split is faithful: the words, written back with every character
 * that is not a letter or a digit escaped by a backslash, parse again
 * (without a shell) into the same words. Nothing leaks. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_vec(char **v, size_t n)
{
	if (!v || v[n] != NULL)
		abort();
	for (size_t k = 0; k < n; k++)
		if (!v[k])
			abort();
}

/* The words as a line of this grammar: a backslash before anything that
 * is not alphanumeric stands for that character itself; '' is an empty
 * word. */
static char *fz_requote(char **words, size_t n)
{
	size_t cap = 1;
	for (size_t k = 0; k < n; k++)
		cap += 2 * strlen(words[k]) + 3;
	char *line = malloc(cap), *o = line;
	if (!line)
		abort();
	for (size_t k = 0; k < n; k++) {
		if (k)
			*o++ = ' ';
		if (!words[k][0]) {
			*o++ = '\'';
			*o++ = '\'';
		}
		for (const char *p = words[k]; *p; p++) {
			if (!isalnum((unsigned char)*p))
				*o++ = '\\';
			*o++ = *p;
		}
	}
	*o = '\0';
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), err[128];
	struct script_cmd c;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	err[0] = '\0';
	bool shell = script_needs_shell(line);
	int rc = script_parse(line, &c, err, sizeof(err));
	if (rc != 0) {
		if (rc != -1 || !err[0] || c.argv || c.words || c.argc || c.nwords)
			abort();
		free(line);
		return 0;
	}
	check_vec(c.argv, c.argc);
	check_vec(c.words, c.nwords);
	if (c.shell != shell || c.argc == 0)
		abort();
	if (shell) {
		if (c.argc != 4 || strcmp(c.argv[0], SCRIPT_SHELL) || strcmp(c.argv[1], "-c") ||
		    strcmp(c.argv[2], line) || strcmp(c.argv[3], "sh"))
			abort();
	} else {
		if (c.argc != c.nwords || !c.argv[0][0])
			abort();
		for (size_t k = 0; k < c.argc; k++)
			if (strcmp(c.argv[k], c.words[k]))
				abort();
		/* Round trip. */
		char *again = fz_requote(c.words, c.nwords);
		struct script_cmd d;
		if (script_parse(again, &d, err, sizeof(err)) != 0 || d.shell ||
		    d.nwords != c.nwords) {
			fprintf(stderr,
				"fuzz_script: '%s' written back as '%s' parses differently\n", line,
				again);
			abort();
		}
		for (size_t k = 0; k < c.nwords; k++)
			if (strcmp(d.words[k], c.words[k])) {
				fprintf(stderr, "fuzz_script: word %zu '%s' came back as '%s'\n", k,
					c.words[k], d.words[k]);
				abort();
			}
		script_cmd_free(&d);
		free(again);
	}
	script_cmd_free(&c);
	free(line);
	return 0;
}
