package org.cartero.core.auth;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks a local user's password through the system's PAM library (Linux-PAM's libpam.so.0),
 * called with the foreign-function API: pam_start with a conversation function that answers
 * the password prompt, pam_authenticate, pam_acct_mgmt (expired or locked accounts are refused),
 * pam_end. Whatever hash the system uses (yescrypt, SHA-512-crypt, ...) works.
 *
 * <p>PAM calls block in native code (and a module may be slow, e.g. over the network), which
 * would pin the carrier thread of a virtual thread. They run instead on a few platform threads
 * of their own while the calling virtual thread waits unmounted. PAM's own delay after a failed
 * attempt (pam_unix sleeps about two seconds) is replaced by a no-op through PAM_FAIL_DELAY: the
 * {@link Authenticator}'s brake slows failures down without holding a thread.
 */
final class Pam {

    enum Outcome {
        SUCCESS,
        /** Wrong password, unknown user, or an account PAM refuses (expired, locked). */
        REJECTED,
        /** PAM could not decide (a system error, a module that cannot reach its data). */
        UNAVAILABLE
    }

    /** @param message PAM's words for the outcome, for the log */
    record Result(Outcome outcome, String message) {}

    private static final int THREADS = 4;
    private static final long TIMEOUT_SECONDS = 30;

    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().daemon().name("pam-", 0).factory());

    private Pam() {}

    /**
     * Authenticates {@code user} with {@code password} against PAM service {@code service}; the
     * client's address is passed to PAM as PAM_RHOST (modules log it).
     */
    static Result authenticate(String service, String user, String password, InetAddress client) {
        if (Native.LOAD_ERROR != null) return new Result(Outcome.UNAVAILABLE, Native.LOAD_ERROR);
        Future<Result> call = EXECUTOR.submit(() -> Native.authenticate(service, user, password, client.getHostAddress()));
        try {
            return call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Result(Outcome.UNAVAILABLE, "PAM did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(Outcome.UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            return new Result(Outcome.UNAVAILABLE, "PAM call failed: " + e.getCause());
        }
    }

    /** libpam and libc, bound once; all of it runs on the PAM threads. */
    @SuppressWarnings("restricted") // native access is the point; the jar and the tests enable it
    private static final class Native {
        // <security/_pam_types.h>
        private static final int PAM_SUCCESS = 0;
        private static final int PAM_SYSTEM_ERR = 4;
        private static final int PAM_BUF_ERR = 5;
        private static final int PAM_PERM_DENIED = 6;
        private static final int PAM_AUTH_ERR = 7;
        private static final int PAM_USER_UNKNOWN = 10;
        private static final int PAM_MAXTRIES = 11;
        private static final int PAM_NEW_AUTHTOK_REQD = 12;
        private static final int PAM_ACCT_EXPIRED = 13;
        private static final int PAM_CONV_ERR = 19;
        private static final int PAM_AUTHTOK_EXPIRED = 27;
        private static final int PAM_RHOST = 4;
        private static final int PAM_FAIL_DELAY = 10;
        private static final int PAM_SILENT = 0x8000;
        private static final int PAM_DISALLOW_NULL_AUTHTOK = 0x0001;
        private static final int PAM_PROMPT_ECHO_OFF = 1;
        private static final int PAM_PROMPT_ECHO_ON = 2;
        private static final int PAM_ERROR_MSG = 3;
        private static final int PAM_TEXT_INFO = 4;
        private static final int PAM_MAX_NUM_MSG = 32;

        /** struct pam_message { int msg_style; const char *msg; } */
        private static final MemoryLayout MESSAGE = MemoryLayout.structLayout(
                JAVA_INT.withName("msg_style"), MemoryLayout.paddingLayout(4), ADDRESS.withName("msg"));
        /** struct pam_response { char *resp; int resp_retcode; } */
        private static final MemoryLayout RESPONSE = MemoryLayout.structLayout(
                ADDRESS.withName("resp"), JAVA_INT.withName("resp_retcode"), MemoryLayout.paddingLayout(4));
        /** struct pam_conv { int (*conv)(...); void *appdata_ptr; } */
        private static final MemoryLayout CONVERSATION = MemoryLayout.structLayout(
                ADDRESS.withName("conv"), ADDRESS.withName("appdata_ptr"));
        /** Our appdata: the answers to the prompts, { char *user; char *password; }. */
        private static final MemoryLayout ANSWERS = MemoryLayout.structLayout(
                ADDRESS.withName("user"), ADDRESS.withName("password"));

        private static final String LOAD_ERROR;
        private static MethodHandle pamStart;
        private static MethodHandle pamSetItem;
        private static MethodHandle pamAuthenticate;
        private static MethodHandle pamAcctMgmt;
        private static MethodHandle pamEnd;
        private static MethodHandle pamStrerror;
        private static MethodHandle calloc;
        private static MethodHandle strdup;
        private static MethodHandle free;
        private static MemorySegment conversationStub;
        private static MemorySegment delayStub;

        static {
            String error = null;
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup pam = SymbolLookup.libraryLookup("libpam.so.0", Arena.global());
                SymbolLookup libc = linker.defaultLookup();
                pamStart = linker.downcallHandle(pam.findOrThrow("pam_start"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                pamSetItem = linker.downcallHandle(pam.findOrThrow("pam_set_item"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
                pamAuthenticate = linker.downcallHandle(pam.findOrThrow("pam_authenticate"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
                pamAcctMgmt = linker.downcallHandle(pam.findOrThrow("pam_acct_mgmt"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
                pamEnd = linker.downcallHandle(pam.findOrThrow("pam_end"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
                pamStrerror = linker.downcallHandle(pam.findOrThrow("pam_strerror"),
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
                calloc = linker.downcallHandle(libc.findOrThrow("calloc"),
                        FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
                strdup = linker.downcallHandle(libc.findOrThrow("strdup"), FunctionDescriptor.of(ADDRESS, ADDRESS));
                free = linker.downcallHandle(libc.findOrThrow("free"), FunctionDescriptor.ofVoid(ADDRESS));
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                conversationStub = linker.upcallStub(
                        lookup.findStatic(Native.class, "converse", MethodType.methodType(int.class,
                                int.class, MemorySegment.class, MemorySegment.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), Arena.global());
                delayStub = linker.upcallStub(
                        lookup.findStatic(Native.class, "noDelay",
                                MethodType.methodType(void.class, int.class, int.class, MemorySegment.class)),
                        FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, ADDRESS), Arena.global());
            } catch (RuntimeException | NoSuchMethodException | IllegalAccessException e) {
                error = "PAM is not available: " + e.getMessage();
            }
            LOAD_ERROR = error;
        }

        static Result authenticate(String service, String user, String password, String remoteHost) {
            try {
                return call(service, user, password, remoteHost);
            } catch (Throwable t) {
                return new Result(Outcome.UNAVAILABLE, "PAM call failed: " + t);
            }
        }

        private static Result call(String service, String user, String password, String remoteHost) throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
                byte[] secret = password.getBytes(StandardCharsets.UTF_8);
                MemorySegment nativePassword = arena.allocate(secret.length + 1L);
                MemorySegment.copy(secret, 0, nativePassword, JAVA_BYTE, 0, secret.length); // allocate() zeroed the NUL after it
                Arrays.fill(secret, (byte) 0);
                try {
                    MemorySegment answers = arena.allocate(ANSWERS);
                    answers.set(ADDRESS, 0, arena.allocateFrom(user));
                    answers.set(ADDRESS, ADDRESS.byteSize(), nativePassword);
                    MemorySegment conversation = arena.allocate(CONVERSATION);
                    conversation.set(ADDRESS, 0, conversationStub);
                    conversation.set(ADDRESS, ADDRESS.byteSize(), answers);
                    MemorySegment handleOut = arena.allocate(ADDRESS);

                    int status = (int) pamStart.invokeExact(arena.allocateFrom(service), arena.allocateFrom(user),
                            conversation, handleOut);
                    if (status != PAM_SUCCESS) {
                        return new Result(Outcome.UNAVAILABLE, "pam_start: " + describe(MemorySegment.NULL, status));
                    }
                    MemorySegment handle = handleOut.get(ADDRESS, 0);
                    try {
                        status = (int) pamSetItem.invokeExact(handle, PAM_FAIL_DELAY, delayStub);
                        if (status == PAM_SUCCESS) {
                            status = (int) pamSetItem.invokeExact(handle, PAM_RHOST, arena.allocateFrom(remoteHost));
                        }
                        if (status != PAM_SUCCESS) {
                            return new Result(Outcome.UNAVAILABLE, "pam_set_item: " + describe(handle, status));
                        }
                        status = (int) pamAuthenticate.invokeExact(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
                        if (status == PAM_SUCCESS) {
                            status = (int) pamAcctMgmt.invokeExact(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
                        }
                        return new Result(outcome(status), describe(handle, status));
                    } finally {
                        int ignored = (int) pamEnd.invokeExact(handle, status);
                    }
                } finally {
                    nativePassword.fill((byte) 0);
                }
            }
        }

        private static Outcome outcome(int status) {
            return switch (status) {
                case PAM_SUCCESS -> Outcome.SUCCESS;
                case PAM_AUTH_ERR, PAM_USER_UNKNOWN, PAM_MAXTRIES, PAM_PERM_DENIED, PAM_ACCT_EXPIRED,
                     PAM_NEW_AUTHTOK_REQD, PAM_AUTHTOK_EXPIRED -> Outcome.REJECTED;
                default -> Outcome.UNAVAILABLE;
            };
        }

        private static String describe(MemorySegment handle, int status) throws Throwable {
            MemorySegment text = (MemorySegment) pamStrerror.invokeExact(handle, status);
            return text.equals(MemorySegment.NULL) ? "PAM error " + status : text.reinterpret(1024).getString(0);
        }

        /**
         * The conversation function PAM calls to prompt: answers a hidden prompt with the
         * password and a visible one with the user name, in a response array and strings
         * allocated with malloc, because PAM frees them. Never throws (an exception cannot cross
         * back into C).
         */
        @SuppressWarnings("unused") // called from native code
        private static int converse(int count, MemorySegment messages, MemorySegment responseOut, MemorySegment appdata) {
            if (count <= 0 || count > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
            MemorySegment responses = MemorySegment.NULL;
            try {
                MemorySegment answers = appdata.reinterpret(ANSWERS.byteSize());
                responses = ((MemorySegment) calloc.invokeExact((long) count, RESPONSE.byteSize()))
                        .reinterpret(count * RESPONSE.byteSize());
                if (responses.equals(MemorySegment.NULL)) return PAM_BUF_ERR;
                // Linux-PAM passes an array of pointers to messages.
                MemorySegment list = messages.reinterpret(count * ADDRESS.byteSize());
                for (int i = 0; i < count; i++) {
                    MemorySegment message = list.getAtIndex(ADDRESS, i).reinterpret(MESSAGE.byteSize());
                    MemorySegment answer = switch (message.get(JAVA_INT, 0)) {
                        case PAM_PROMPT_ECHO_OFF -> answers.get(ADDRESS, ADDRESS.byteSize());
                        case PAM_PROMPT_ECHO_ON -> answers.get(ADDRESS, 0);
                        case PAM_ERROR_MSG, PAM_TEXT_INFO -> MemorySegment.NULL;
                        default -> null;
                    };
                    if (answer == null) {
                        release(responses, count);
                        return PAM_CONV_ERR;
                    }
                    if (answer.equals(MemorySegment.NULL)) continue;
                    MemorySegment copy = (MemorySegment) strdup.invokeExact(answer);
                    if (copy.equals(MemorySegment.NULL)) {
                        release(responses, count);
                        return PAM_BUF_ERR;
                    }
                    responses.set(ADDRESS, i * RESPONSE.byteSize(), copy);
                }
                responseOut.reinterpret(ADDRESS.byteSize()).set(ADDRESS, 0, responses);
                return PAM_SUCCESS;
            } catch (Throwable t) {
                if (!responses.equals(MemorySegment.NULL)) release(responses, count);
                return PAM_CONV_ERR;
            }
        }

        /** Frees a response array we built but PAM will not take, wiping the answers first. */
        private static void release(MemorySegment responses, int count) {
            try {
                for (int i = 0; i < count; i++) {
                    MemorySegment answer = responses.get(ADDRESS, i * RESPONSE.byteSize());
                    if (answer.equals(MemorySegment.NULL)) continue;
                    MemorySegment text = answer.reinterpret(Integer.MAX_VALUE);
                    long length = 0;
                    while (text.get(JAVA_BYTE, length) != 0) length++;
                    text.asSlice(0, length).fill((byte) 0);
                    free.invokeExact(answer);
                }
                free.invokeExact(responses);
            } catch (Throwable t) {
                // nothing more can be done from inside a callback
            }
        }

        /** PAM_FAIL_DELAY: PAM calls this instead of sleeping after a failure. */
        @SuppressWarnings("unused") // called from native code
        private static void noDelay(int status, int microseconds, MemorySegment appdata) {
        }
    }
}
