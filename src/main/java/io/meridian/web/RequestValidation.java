package io.meridian.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidatorFactory;

import java.lang.annotation.ElementType;
import java.util.List;

/**
 * Bean Validation of request bodies, the one way every resource checks them. Request bodies are
 * plain values, not JPA entities, so every property is reachable: the default resolver, which asks
 * JPA for every property of every element whether it is loaded and caches each answer, took half
 * of a 50,000-participant request.
 */
@ApplicationScoped
public class RequestValidation {

    private static final TraversableResolver EVERYTHING_REACHABLE = new TraversableResolver() {
        @Override
        public boolean isReachable(Object bean, Path.Node node, Class<?> root, Path path, ElementType type) {
            return true;
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node node, Class<?> root, Path path, ElementType type) {
            return true;
        }
    };

    private final Validator validator;

    @Inject
    public RequestValidation(ValidatorFactory validators) {
        this.validator = validators.unwrap(HibernateValidatorFactory.class).usingContext()
                .traversableResolver(EVERYTHING_REACHABLE).enableTraversableResolverResultCache(false).getValidator();
    }

    /** The field errors of a body; empty when it is valid. A null body is one error on {@code body}. */
    public List<Problem.FieldError> errors(Object body) {
        if (body == null) {
            return List.of(new Problem.FieldError("body", "is required: send a JSON object"));
        }
        return Violations.toFieldErrors(validator.validate(body));
    }

    /** @throws ProblemException 400 with every field error of the body */
    public void require(Object body) {
        List<Problem.FieldError> errors = errors(body);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
    }
}
