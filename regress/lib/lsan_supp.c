/*
 * Linked into every ATF-C test program.  libatf-c does not free its test
 * case list, so LeakSanitizer would fail the listing Kyua runs first;
 * those leaks are not ours to find.
 */
#ifdef SECD_SANITIZE
const char	*__lsan_default_suppressions(void);
const char	*__lsan_default_options(void);

const char *
__lsan_default_options(void)
{
	return ("print_suppressions=0");
}

const char *
__lsan_default_suppressions(void)
{
	return ("leak:libatf-c.so\n");
}
#else
extern int	lsan_supp_unused;	/* ISO C: not an empty unit */
#endif
