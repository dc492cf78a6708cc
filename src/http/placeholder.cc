#include "http/pch.h"
